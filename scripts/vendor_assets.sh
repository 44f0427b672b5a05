#!/usr/bin/env bash
# Refresh the front-end files shipped in src/undercurrent/web/static/vendor from npm (run by hand,
# never at install or run time: the workbench fetches nothing from a CDN). Versions are pinned here.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=src/undercurrent/web/static/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent leaflet@1.9.4 leaflet.markercluster@1.5.3 htmx.org@2.0.11 swagger-ui-dist@5.35.0 >/dev/null)
for f in "$tmp"/*.tgz; do mkdir -p "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
rm -rf "$dest" && mkdir -p "$dest"/leaflet "$dest"/markercluster "$dest"/htmx "$dest"/swagger-ui
cp -r "$tmp"/leaflet-1.9.4/package/dist/{leaflet.js,leaflet.css,images} "$tmp"/leaflet-1.9.4/package/LICENSE "$dest"/leaflet/
cp "$tmp"/leaflet.markercluster-1.5.3/package/dist/{leaflet.markercluster.js,MarkerCluster.css,MarkerCluster.Default.css} \
   "$tmp"/leaflet.markercluster-1.5.3/package/MIT-LICENCE.txt "$dest"/markercluster/
cp "$tmp"/htmx.org-2.0.11/package/dist/htmx.min.js "$tmp"/htmx.org-2.0.11/package/LICENSE "$dest"/htmx/
cp "$tmp"/swagger-ui-dist-5.35.0/package/{swagger-ui-bundle.js,swagger-ui.css,LICENSE,NOTICE} "$dest"/swagger-ui/
echo "vendored into $dest"
