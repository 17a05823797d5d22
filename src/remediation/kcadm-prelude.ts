/** Bash functions every generated kcadm.sh script starts with. */
export const PRELUDE = `kc() {
  if [[ -n "\${KCADM_CONFIG:-}" ]]; then
    "$KCADM" "$@" -r "$REALM" --config "$KCADM_CONFIG"
  else
    "$KCADM" "$@" -r "$REALM"
  fi
}

fail() {
  printf '%s\\n' "$*" >&2
  exit 1
}

# Reads "id,value" rows and prints the id of the row whose value is exactly $1 (ids hold no comma).
pick_id() {
  local line
  while IFS= read -r line; do
    if [[ "\${line#*,}" == "$1" ]]; then
      printf '%s\\n' "\${line%%,*}"
      return 0
    fi
  done
  return 1
}

client_uuid() {
  local rows
  rows=$(kc get clients -q "clientId=$1" --fields id,clientId --format csv --noquotes) || return 1
  pick_id "$1" <<<"$rows" || fail "Realm $REALM has no client with clientId: $1"
}

scope_id() {
  local rows
  rows=$(kc get client-scopes --fields id,name --format csv --noquotes) || return 1
  pick_id "$1" <<<"$rows" || fail "Realm $REALM has no client scope named: $1"
}

# $1: clients/<uuid> or client-scopes/<id>; $2: the mapper's name.
mapper_id() {
  local rows
  rows=$(kc get "$1/protocol-mappers/models" --fields id,name --format csv --noquotes) || return 1
  pick_id "$2" <<<"$rows" || fail "No mapper named $2 in $1 of realm $REALM"
}

# A mapper PUT must carry the mapper's id in its body as well (Keycloak answers 500 otherwise).
with_id() {
  printf '{"id":"%s",%s' "$1" "\${2:1}"
}

step() {
  printf '[%s/%s] %s\\n' "$1" "$2" "$3"
}`;

/** Stops a script whose names are not ASCII unless it runs in a UTF-8 locale. */
export const LOCALE_CHECK = `# kcadm.sh reads arguments in the locale's charset, and some names here are not ASCII.
case "\${LC_ALL:-\${LC_CTYPE:-\${LANG:-}}}" in
  *[Uu][Tt][Ff]-8* | *[Uu][Tt][Ff]8*) ;;
  *) fail 'Run this script in a UTF-8 locale, for example: LC_ALL=C.UTF-8 bash <script>' ;;
esac`;
