// C helpers for what Swift cannot express: libjpeg and libpng report fatal errors by
// longjmp, which Swift cannot catch. The decoders here set the jump point in C and
// turn every failure into a return code plus a message.
#ifndef SPOTCHECK_SHIMS_H
#define SPOTCHECK_SHIMS_H
#endif
