// `pathwhy TARGET --fix [--yes]`: diagnoses TARGET, deletes exactly the conntrack entries its
// stale-conntrack findings name (inside the diagnosed namespace, each by its tuple, zone and id,
// so an entry re-created with the right NAT meanwhile is left alone), then diagnoses again and
// prints the new answer. It asks first on a terminal; scripts say --yes. Without a terminal to
// ask on and without --yes it refuses before touching anything.
#pragma once

#include "cli/options.h"

namespace pathwhy {

// The exit code of the diagnosis made after the fix (0 when the target is healthy now); 1 when
// the user declined; throws Error (exit 2) when it may not ask or cannot delete.
int run_fix(const DiagnoseOptions& options);

}  // namespace pathwhy
