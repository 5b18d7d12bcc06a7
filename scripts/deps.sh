# Build dependencies of Kite, from Debian 12's packages. Sourced by the
# README's commands: ensure_build_deps installs what is missing when run as
# root, and otherwise prints the exact apt-get line and stops.

KITE_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config
  nlohmann-json3-dev libeigen3-dev
  qt6-base-dev qt6-httpserver-dev qt6-websockets-dev libqt6sql6-sqlite
  qt6-declarative-dev qml6-module-qtquick qml6-module-qtquick-controls qml6-module-qtquick-layouts
  qml6-module-qtquick-window qml6-module-qtquick-templates qml6-module-qtqml-workerscript
  qml6-module-qtquick-dialogs qml6-module-qt-labs-folderlistmodel qt6-l10n-tools qt6-tools-dev
  qt6-translations-l10n libqt6svg6
  libsqlite3-dev libarchive-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
)

missing_packages() {
  local p
  for p in "${KITE_BUILD_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || echo "$p"
  done
}

ensure_build_deps() {
  local missing
  missing=$(missing_packages | tr '\n' ' ')
  missing=${missing% }
  [ -z "$missing" ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "Kite needs these Debian packages: $missing" >&2
    echo "Install them with:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $missing" >&2
    exit 1
  fi
  echo "==> installing build packages: $missing" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing
}
