// The loader tests' fixtures: temporary folders and files (tests/support).
#pragma once

#include "support/temp_dir.h"
