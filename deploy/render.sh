#!/bin/sh
# Renders one recipe's *.template files into a directory of nginx config:
#   KEYCLOAK_ORIGIN=https://keycloak.example.com AUDIENCE_DOCTOR_LISTEN=443 AUDIENCE_DOCTOR_ROOT=/srv/audience-doctor \
#     deploy/render.sh nginx /etc/nginx/audience-doctor
# Only the recipe's own variables are replaced, so nginx's $uri, $host… stay as they are.
set -eu

usage() {
  echo "usage: $0 nginx|same-origin OUTPUT_DIR (see deploy/README.md for the variables)" >&2
  exit 2
}
[ "$#" -eq 2 ] || usage
recipe=$1
here=$(cd "$(dirname "$0")" && pwd)

: "${AUDIENCE_DOCTOR_LISTEN:?set AUDIENCE_DOCTOR_LISTEN to what nginx listens on, e.g. 8081 or 127.0.0.1:8081}"
: "${AUDIENCE_DOCTOR_ROOT:?set AUDIENCE_DOCTOR_ROOT to the absolute path of the dist/ folder}"
case $AUDIENCE_DOCTOR_ROOT in
  /*) ;;
  *) echo "AUDIENCE_DOCTOR_ROOT must be an absolute path, got: $AUDIENCE_DOCTOR_ROOT" >&2; exit 2 ;;
esac
AUDIENCE_DOCTOR_ROOT=${AUDIENCE_DOCTOR_ROOT%/}

case $recipe in
  nginx)
    : "${KEYCLOAK_ORIGIN:?set KEYCLOAK_ORIGIN to the origin the browser reaches Keycloak at, e.g. https://keycloak.example.com}"
    # The value goes into the CSP: exactly scheme://host[:port], nothing that could add a directive.
    if ! printf '%s' "$KEYCLOAK_ORIGIN" | grep -Eq '^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$'; then
      echo "KEYCLOAK_ORIGIN must be an origin such as https://keycloak.example.com (no path, no trailing slash), got: $KEYCLOAK_ORIGIN" >&2
      exit 2
    fi
    variables='${KEYCLOAK_ORIGIN} ${AUDIENCE_DOCTOR_LISTEN} ${AUDIENCE_DOCTOR_ROOT} ${AUDIENCE_DOCTOR_CONF_DIR}'
    ;;
  same-origin)
    : "${KEYCLOAK_UPSTREAM:?set KEYCLOAK_UPSTREAM to where nginx reaches Keycloak, e.g. http://127.0.0.1:8080}"
    if ! printf '%s' "$KEYCLOAK_UPSTREAM" | grep -Eq '^https?://[][A-Za-z0-9.:-]+$'; then
      echo "KEYCLOAK_UPSTREAM must be scheme://host:port without a path, got: $KEYCLOAK_UPSTREAM" >&2
      exit 2
    fi
    variables='${KEYCLOAK_UPSTREAM} ${AUDIENCE_DOCTOR_LISTEN} ${AUDIENCE_DOCTOR_ROOT} ${AUDIENCE_DOCTOR_CONF_DIR}'
    ;;
  *) usage ;;
esac

mkdir -p "$2"
AUDIENCE_DOCTOR_CONF_DIR=$(cd "$2" && pwd)
export AUDIENCE_DOCTOR_ROOT AUDIENCE_DOCTOR_CONF_DIR
for template in "$here/$recipe"/*.template; do
  target="$AUDIENCE_DOCTOR_CONF_DIR/$(basename "$template" .template)"
  envsubst "$variables" <"$template" >"$target"
  echo "wrote $target"
done
