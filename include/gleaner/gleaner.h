// The whole public surface of gleaner, for convenience. See extractor.h to start.
#ifndef GLEANER_GLEANER_H_
#define GLEANER_GLEANER_H_

#include "gleaner/batch.h"
#include "gleaner/extractor.h"
#include "gleaner/format.h"
#include "gleaner/normalizer.h"
#include "gleaner/options.h"
#include "gleaner/records.h"
#include "gleaner/status.h"
#include "gleaner/version.h"

#endif  // GLEANER_GLEANER_H_
