/*
 * cli.h - `ludus gamify rebuild`.
 */
#ifndef LUDUS_GAMIFY_CLI_H
#define LUDUS_GAMIFY_CLI_H

#include "core/config.h"

int gamify_main(const struct config *cfg, int argc, char **argv);

#endif
