"""Training the learned stage: data loading and validation, fitting, cross-validation."""
