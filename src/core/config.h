/* SPDX-License-Identifier: MIT
 * config.h - server settings from the command line and the environment.
 */
#ifndef BUREAU_CONFIG_H
#define BUREAU_CONFIG_H

#include <stddef.h>

struct config {
    const char *db_url;      /* --db FILE | postgres://… */
    const char *listen_host; /* --listen HOST:PORT */
    char listen_buf[64];     /* storage for listen_host when given */
    int port;
    int threads;             /* --threads (default: cores) */
    int hash_threads;        /* --hash-threads: password hashes at once (default: cores−1, 1..4) */
    size_t max_body;         /* --max-body bytes (1 MiB) */
    size_t max_import;       /* --max-import bytes (64 MiB) */
    size_t arena_cap;        /* --request-memory bytes (32 MiB) */
    size_t export_cap;       /* memory a single export may use (256 MiB) */
    unsigned max_conns;      /* --max-connections (1024) */
    unsigned conn_timeout_s; /* idle keep-alive timeout (30) */
    unsigned request_timeout_ms; /* database time a request may take (10000) */
    unsigned import_timeout_ms;  /* database time a CSV import may take (120000) */
    unsigned header_limit;   /* per-connection header memory (32 KiB) */
    int utc_offset_min;      /* default tenant offset (+480) */
    int demo;                /* --demo: fill an empty database */
    int quiet;               /* no per-request log lines */
    unsigned jobs_interval_s; /* --jobs-interval: how often the job runner looks (5) */
    unsigned webhook_backoff_s; /* --webhook-backoff: first retry delay of a webhook (30) */
    unsigned session_idle_s;  /* --session-idle: idle session expiry (1800) */
    unsigned session_max_s;   /* --session-max: absolute session expiry (43200) */
    unsigned login_window_s;  /* --login-window: brute-force counting window (900) */
    const char *tls_cert;     /* --tls-cert FILE (PEM) */
    const char *tls_key;      /* --tls-key FILE (PEM) */
    const char *trusted_proxy; /* --trusted-proxy ADDR: take the client from X-Forwarded-For */
    const char *web_dir;       /* --web-dir DIR: serve the UI from disk, not the binary */
    const char *files_dir;     /* --files-dir DIR: uploaded files (default: beside the database) */
    size_t max_upload;         /* body limit of a file upload (16 MiB; each kind has its own rule) */
};

void config_defaults(struct config *c);
/* The settings of the running server (set once by `bureau serve`), for jobs
 * and other code without a request; NULL in tools and tests. */
void config_note(const struct config *cfg);
const struct config *config_current(void);

#endif
