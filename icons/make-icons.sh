#!/usr/bin/env bash
# Regenerates the app icons (pulse line on a rounded indigo square) with ImageMagick.
# Usage: icons/make-icons.sh   (writes next to this script)
set -euo pipefail
cd "$(dirname "$0")"
big=$(mktemp --suffix=.png)
trap 'rm -f "$big"' EXIT
# 1024x1024 master: rounded square with a vertical indigo gradient, faint guide lines,
# a white pulse line and a green "live" dot.
convert -size 1024x1024 xc:none \
  \( -size 960x960 gradient:'#6366f1-#3730a3' \) -geometry +32+32 -compose over -composite \
  \( -size 1024x1024 xc:black -fill white -draw "roundrectangle 32,32 991,991 210,210" \) \
  -alpha off -compose copy_opacity -composite -compose over \
  -fill none -stroke '#8b8ff5' -strokewidth 26 -draw "line 200,300 824,300" -draw "line 200,724 824,724" \
  -stroke white -strokewidth 64 -draw "stroke-linecap round stroke-linejoin round polyline 150,540 350,540 420,380 520,720 610,290 680,540 862,540" \
  -stroke none -fill '#34d399' -draw "circle 874,540 874,590" \
  PNG32:"$big"
convert "$big" -resize 512x512 PNG32:icon.png
convert "$big" -resize 256x256 PNG32:128x128@2x.png
convert "$big" -resize 128x128 PNG32:128x128.png
convert "$big" -resize 32x32 PNG32:32x32.png
convert "$big" -define icon:auto-resize=256,128,64,48,32,16 icon.ico
