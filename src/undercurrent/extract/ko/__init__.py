"""Korean-language stages behind the same record contract as the English ones."""
