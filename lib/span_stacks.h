// Spans of a trace as stacks: each complete span becomes one sample whose stack is the chain of
// spans enclosing it on its thread (root first, by the reader's nesting depth) and whose weight
// is its self time (its duration minus its children's on the same thread). Summary spans (clang
// `Total X`), instants and async spans are not thread work and are left out.
#pragma once
#include "lib/profile.h"

namespace perfkit {

// Adds a "wall/nanoseconds" value type and the span samples when the profile has spans but no
// samples (a reader may already have built them; then nothing changes). Returns true if added.
bool add_span_samples(Profile& p);

}  // namespace perfkit
