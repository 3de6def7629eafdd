// librsvg (SVG rendering) and cairo (the image surface it renders into, written as PNG), Debian's
// librsvg2-dev and libcairo2-dev; include paths come from pkg-config (librsvg-2.0).
#include <librsvg/rsvg.h>
#include <cairo.h>
