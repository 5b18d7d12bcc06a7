// Learners, classes and roles: the admin's teachers and tokens, the
// learners and classes that admins and teachers manage, the classes each
// device serves and its roster, a learner's own mastery and the teacher's
// class × skill view. docs/protocol.md, "Learners, classes and roles".
#pragma once

#include "kite/http.h"
#include "kite/roster_store.h"
#include "kite/server_store.h"

namespace kite::server {

// `store` checks tokens; `roster` holds the rest. Both are the server
// thread's connections.
void addRosterRoutes(Router& router, ServerStore& store, RosterStore& roster);

}  // namespace kite::server
