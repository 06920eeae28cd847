/*
 * cli.h - `ludus import questions FILE`.
 */
#ifndef LUDUS_ASSESSMENT_CLI_H
#define LUDUS_ASSESSMENT_CLI_H

#include "core/config.h"

int import_main(const struct config *cfg, int argc, char **argv);

#endif
