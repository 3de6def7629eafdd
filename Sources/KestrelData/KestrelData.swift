// KestrelData: see ../../README.md and DESIGN.md.
