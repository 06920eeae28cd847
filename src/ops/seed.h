/*
 * seed.h - `ludus seed`: loads the demo data of sql/seed/, idempotently.
 */
#ifndef LUDUS_OPS_SEED_H
#define LUDUS_OPS_SEED_H

#include "core/config.h"

/* Runs the seed subcommand; returns the process exit code. */
int seed_main(const struct config *cfg, int argc, char **argv);

#endif
