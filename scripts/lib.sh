# Shared by scripts/demo and scripts/test: finds Python >= 3.12 and keeps .venv installed.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
    local candidate version
    for candidate in "${PYTHON:-}" python3.12 python3.13 python3.14 python3; do
        [ -n "$candidate" ] || continue
        if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
            echo "$candidate"
            return
        fi
    done
    # pyenv installs shims that refuse versions not selected; ask pyenv for an installed one.
    if command -v pyenv >/dev/null 2>&1; then
        for version in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.(1[2-9])(\.[0-9]+)?$' | sort -V); do
            candidate="$(pyenv root)/versions/$version/bin/python3"
            if [ -x "$candidate" ]; then
                echo "$candidate"
                return
            fi
        done
    fi
    echo "error: Python 3.12 or newer is needed (set PYTHON=/path/to/python3.12)." >&2
    exit 1
}

# ensure_venv EXTRAS: create .venv once; install again only when pyproject.toml changed or an
# extra is asked for that is not installed yet (so demo and test do not undo each other).
ensure_venv() {
    local wanted="$1" python hash installed extra missing=""
    hash="$(sha256sum <"$ROOT/pyproject.toml" | cut -c1-16)"
    if [ ! -x "$VENV/bin/python" ]; then
        python="$(find_python)"
        echo "Creating $VENV with $("$python" --version)"
        "$python" -m venv "$VENV"
    fi
    installed="$(cat "$VENV/.installed" 2>/dev/null || true)"  # "<hash> <extra,extra>"
    if [ "${installed%% *}" = "$hash" ]; then
        for extra in ${wanted//,/ }; do
            case ",${installed#* }," in *",$extra,"*) ;; *) missing=1 ;; esac
        done
        [ -z "$missing" ] && return 0
        wanted="${installed#* },$wanted"
    fi
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    "$VENV/bin/python" -m pip install --quiet -e "$ROOT[$wanted]"
    echo "$hash $wanted" >"$VENV/.installed"
}
