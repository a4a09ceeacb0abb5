#include "spotcheck_shims.h"
