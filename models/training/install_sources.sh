#!/bin/sh
# Installs the Debian packages whose recordings build the samaudio-mini clip library (see sources.json).
# Debian 12 (bookworm) main, about 3.7 GB of downloads (0ad-data alone is 1.4 GB). libopenblas0-openmp replaces
# the reference BLAS that Debian's torch otherwise links (BLAS_INFO=generic): CPU training is 2-30x faster with it
# (README.md); libjemalloc2 keeps freed memory mapped, which makes a training step 2.7x faster here (train.py,
# with_jemalloc). Needs root (or sudo) and network access to a Debian mirror.
set -eu
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
PACKAGES="
tuxpaint-stamps-default qabcs-data sonic-pi-samples ufoai-sound openttd-opensfx scorched3d-data
minetest-data megaglest-data widelands-data lmms-common bucklespring-data lincity-ng-data linphone-common
asterisk-core-sounds-en-g722 asterisk-core-sounds-fr-g722 asterisk-core-sounds-it-g722
pocketsphinx-testdata festvox-ru fluid-soundfont-gm fluidsynth ffmpeg sox unzip
0ad-data wesnoth-1.16-data lugaru-data supertuxkart-data supertux-data simutrans-pak64 searchandrescue-data hydrogen-drumkits
asterisk-core-sounds-ru-g722 grandorgue-demo xboard openarena-data trigger-rally-data chuck-data sound-icons warzone2100-data
musescore-general-soundfont fillets-ng-data-cs fillets-ng-data-nl gcompris-qt-data
python3-numpy python3-scipy python3-soundfile python3-torch python3-onnx libopenblas0-openmp libjemalloc2
"
# shellcheck disable=SC2086
$SUDO apt-get install -y --no-install-recommends $PACKAGES
