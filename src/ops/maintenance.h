/*
 * maintenance.h - the background work of `ludus serve`: delivering the
 * mail outbox, and every minute removing expired sessions, tokens and
 * rate-limit windows, ending learning sessions left open (five minutes
 * without a heartbeat) and anonymizing accounts deleted longer ago than
 * the retention period.
 *
 * Mail is delivered by the development mailer: each message becomes a file
 * <id>.eml in cfg->mail_dir, and the log says to whom and about what (never
 * the text, which may hold a secret link).  SMTP delivery is not built yet.
 * Several servers may run it at once: rows are claimed with SKIP LOCKED.
 */
#ifndef LUDUS_OPS_MAINTENANCE_H
#define LUDUS_OPS_MAINTENANCE_H

#include "core/config.h"

/* Starts the background thread; 0 or -1. */
int maintenance_start(const struct config *cfg);
/* Stops it and waits for it. */
void maintenance_stop(void);

#endif
