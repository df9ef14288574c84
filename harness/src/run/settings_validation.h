// Moved to settings/settings_validation.h (the settings table's folder); this
// include keeps files that still name the old path building until the
// include-path pass after the merge rewrites them.
#pragma once

#include "settings/settings_validation.h"
