/* SPDX-License-Identifier: MIT
 * main.c - the command line: one table of subcommands. Parses arguments,
 * opens the database, applies migrations and runs the chosen command.
 */
#include "core/config.h"
#include "engine/uimeta.h"
#include "engine/openapi.h"
#include "core/audit.h"
#include "core/auth.h"
#include "core/web.h"
#include "base/buf.h"
#include "base/base.h"
#include "base/err.h"
#include "core/http.h"
#include "core/jobs.h"
#include "base/log.h"
#include "db/db.h"
#include "engine/migrate.h"
#include "engine/ddl.h"
#include "engine/rest.h"
#include "engine/res.h"
#include "modules/modules.h"
#include "modules/notify/notify.h"

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DEMO_SEED 20261129u

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    c->db_url = "bureau.db";
    c->listen_host = "127.0.0.1";
    c->port = 8080;
    /* a worker per core: password hashes run on threads of their own
     * (cores−1, at least 1 and at most 4: a hash takes 12 MiB), so no worker
     * waits for one */
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 2;
    c->threads = n < 2 ? 2 : n > 64 ? 64 : (int)n;
    c->hash_threads = n - 1 < 1 ? 1 : n - 1 > 4 ? 4 : (int)n - 1;
    c->max_body = 1u << 20;
    c->max_import = 64u << 20;
    c->max_upload = 16u << 20;
    c->arena_cap = 32u << 20;
    c->export_cap = 256u << 20;
    c->max_conns = 1024;
    c->conn_timeout_s = 30;
    c->request_timeout_ms = 10000;
    c->import_timeout_ms = 120000;
    c->header_limit = 32 * 1024;
    c->utc_offset_min = 480;
    c->jobs_interval_s = 5;
    c->webhook_backoff_s = 30;
    c->session_idle_s = 1800;
    c->session_max_s = 43200;
    c->login_window_s = 900;
}

static int usage(void)
{
    fputs("usage: bureau COMMAND [options]\n"
          "\n"
          "commands:\n"
          "  serve      serve the HTTP API (--db, --listen, --demo, --threads, …)\n"
          "  init       create or upgrade the database (--db, --demo)\n"
          "  backup     consistent copy of a running SQLite database: backup --db FILE OUT\n"
          "  audit      verify the audit chain: audit verify --db … [--tenant N]; audit anchor\n"
          "  version    print the version and schema version\n"
          "  dump-ddl   print the schema: dump-ddl sqlite|pg\n"
          "  dump-openapi, dump-meta   print generated documents\n"
          "  procure    procurement: procure verify-draw --db … DRAW (recompute an expert\n"
          "             draw's order from its published inputs)\n"
          "\n"
          "options:\n"
          "  --db FILE|postgres://…   database (default bureau.db)\n"
          "  --listen HOST:PORT       address (default 127.0.0.1:8080; port 0 picks one)\n"
          "  --threads N              worker threads (default: one per core)\n"
          "  --hash-threads N         threads hashing passwords at sign-in (default: cores-1,\n"
          "                           1 to 4; each hash takes 12 MiB)\n"
          "  --demo                   fill an empty database with a synthetic district\n"
          "  --max-body BYTES         request body limit (1 MiB)\n"
          "  --max-import BYTES       CSV import body limit (64 MiB)\n"
          "  --request-memory BYTES   memory one request may use (32 MiB)\n"
          "  --max-connections N      open connection limit (1024)\n"
          "  --request-timeout MS     database time a request may use (10000)\n"
          "  --import-timeout MS      database time a CSV import may use (120000)\n"
          "  --session-idle SECONDS   idle session expiry (1800)\n"
          "  --session-max SECONDS    absolute session expiry (43200)\n"
          "  --login-window SECONDS   failed sign-ins are counted over this window (900)\n"
          "  --tls-cert FILE --tls-key FILE   serve HTTPS (PEM files)\n"
          "  --trusted-proxy ADDR     the proxy whose X-Forwarded-For names the client\n"
          "  --jobs-interval SECONDS  how often the job runner looks for due jobs (5)\n"
          "  --webhook-backoff SECONDS  first retry delay of a failed webhook delivery,\n"
          "                           doubled for each later one up to an hour (30;\n"
          "                           0 retries at the runner's next look)\n"
          "  --files-dir DIR          where uploaded files are kept (default: beside the\n"
          "                           SQLite file, NAME-files/; ./bureau-files on PostgreSQL)\n"
          "  --web-dir DIR            serve the web UI from DIR (and DIR/../node_modules),\n"
          "                           not from the binary: for UI development\n"
          "  --quiet                  no per-request log lines\n",
          stderr);
    return 2;
}

/* --listen HOST:PORT ([v6]:PORT too). */
static int parse_listen(const char *v, struct config *c)
{
    const char *colon = strrchr(v, ':');
    int64_t n;
    size_t hl = colon ? (size_t)(colon - v) : 0;
    if (!colon || parse_i64(colon + 1, strlen(colon + 1), &n) || n < 0 || n > 65535 ||
        hl >= sizeof(c->listen_buf)) {
        fprintf(stderr, "bureau: --listen takes HOST:PORT (a host of at most %zu bytes)\n",
                sizeof(c->listen_buf) - 1);
        return -1;
    }
    char *h = c->listen_buf;
    memcpy(h, v, hl);
    h[hl] = 0;
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        memmove(h, h + 1, hl - 2);
        h[hl - 2] = 0;
    }
    c->listen_host = h;
    c->port = (int)n;
    return 0;
}

/* The options: a flag, a text, or a number within [min, max] into a field
 * of the config of the kind's type. */
enum opt_kind { OPT_FLAG, OPT_TEXT, OPT_INT, OPT_UNSIGNED, OPT_SIZE, OPT_LISTEN };
struct opt {
    const char *name;
    enum opt_kind kind;
    size_t off;
    int64_t min, max;
};
#define CFG(f) offsetof(struct config, f)
static const struct opt opts[] = {
    {"--demo", OPT_FLAG, CFG(demo), 0, 0},
    {"--quiet", OPT_FLAG, CFG(quiet), 0, 0},
    {"--db", OPT_TEXT, CFG(db_url), 0, 0},
    {"--listen", OPT_LISTEN, 0, 0, 0},
    {"--threads", OPT_INT, CFG(threads), 1, 256},
    {"--hash-threads", OPT_INT, CFG(hash_threads), 1, 64},
    {"--max-body", OPT_SIZE, CFG(max_body), 1, INT64_MAX},
    {"--max-import", OPT_SIZE, CFG(max_import), 1, INT64_MAX},
    {"--request-memory", OPT_SIZE, CFG(arena_cap), 64 * 1024, INT64_MAX},
    {"--max-connections", OPT_UNSIGNED, CFG(max_conns), 1, 100000},
    {"--request-timeout", OPT_UNSIGNED, CFG(request_timeout_ms), 1, 3600000},
    {"--import-timeout", OPT_UNSIGNED, CFG(import_timeout_ms), 1, 3600000},
    {"--session-idle", OPT_UNSIGNED, CFG(session_idle_s), 1, 30 * 86400},
    {"--session-max", OPT_UNSIGNED, CFG(session_max_s), 1, 30 * 86400},
    {"--login-window", OPT_UNSIGNED, CFG(login_window_s), 1, 30 * 86400},
    {"--jobs-interval", OPT_UNSIGNED, CFG(jobs_interval_s), 1, 3600},
    {"--webhook-backoff", OPT_UNSIGNED, CFG(webhook_backoff_s), 0, 3600},
    {"--trusted-proxy", OPT_TEXT, CFG(trusted_proxy), 0, 0},
    {"--web-dir", OPT_TEXT, CFG(web_dir), 0, 0},
    {"--files-dir", OPT_TEXT, CFG(files_dir), 0, 0},
    {"--tls-cert", OPT_TEXT, CFG(tls_cert), 0, 0},
    {"--tls-key", OPT_TEXT, CFG(tls_key), 0, 0},
};

/* Sets option o from v (NULL: none given); -1 with a message when refused. */
static int set_opt(const struct opt *o, const char *v, struct config *c)
{
    char *field = (char *)c + o->off;
    int64_t n;
    if (o->kind == OPT_FLAG) {
        *(int *)field = 1;
        return 0;
    }
    if (!v) {
        fprintf(stderr, "bureau: %s takes a value\n", o->name);
        return -1;
    }
    if (o->kind == OPT_TEXT) {
        *(const char **)field = v;
        return 0;
    }
    if (o->kind == OPT_LISTEN)
        return parse_listen(v, c);
    if (parse_i64(v, strlen(v), &n) || n < o->min || n > o->max) {
        if (o->max == INT64_MAX)
            fprintf(stderr, "bureau: %s takes at least %lld\n", o->name, (long long)o->min);
        else
            fprintf(stderr, "bureau: %s takes %lld..%lld\n", o->name, (long long)o->min,
                    (long long)o->max);
        return -1;
    }
    if (o->kind == OPT_INT)
        *(int *)field = (int)n;
    else if (o->kind == OPT_UNSIGNED)
        *(unsigned *)field = (unsigned)n;
    else
        *(size_t *)field = (size_t)n;
    return 0;
}

static int parse_args(int argc, char **argv, struct config *c, const char **pos, int npos)
{
    int k = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        const struct opt *o = NULL;
        for (size_t j = 0; !o && j < sizeof(opts) / sizeof(opts[0]); j++)
            if (!strcmp(a, opts[j].name))
                o = &opts[j];
        if (o) {
            const char *v = o->kind == OPT_FLAG ? NULL : i + 1 < argc ? argv[++i] : NULL;
            if (set_opt(o, v, c))
                return -1;
        } else if (a[0] == '-' && a[1] == '-') {
            fprintf(stderr, "bureau: unknown option %s\n", a);
            return -1;
        } else if (k < npos) {
            pos[k++] = a;
        } else {
            fprintf(stderr, "bureau: unexpected argument %s\n", a);
            return -1;
        }
    }
    return k;
}

/* A database URL fit for messages: the password replaced by "***". */
static void redact_url(const char *url, char *out, size_t n)
{
    const char *scheme = strstr(url, "://");
    const char *at = scheme ? strchr(scheme + 3, '@') : NULL;
    const char *colon = scheme ? memchr(scheme + 3, ':', at ? (size_t)(at - scheme - 3) : 0)
                               : NULL;
    if (!at || !colon) {
        snprintf(out, n, "%s", url);
        return;
    }
    snprintf(out, n, "%.*s:***%s", (int)(colon - url), url, at);
}

static struct db *open_db(const struct config *cfg, int create)
{
    struct db *db;
    struct err e;
    struct db_options o = {.create = create,
                           .statement_timeout_ms = (int)cfg->request_timeout_ms};
    err_clear(&e);
    if (db_open(&db, cfg->db_url, &o, &e)) {
        char shown[256];
        redact_url(cfg->db_url, shown, sizeof(shown));
        fprintf(stderr, "bureau: cannot open database %s: %s\n", shown, e.detail);
        return NULL;
    }
    return db;
}

/* Creates the first tenant (and its seeded defaults) in an empty database. */
static int bootstrap(struct db *db, const struct config *cfg, struct err *e)
{
    struct db_conn *c = db_conn(db, e);
    struct db_stmt *st;
    int rc;
    if (!c)
        return -ERR_DB_UNAVAILABLE;
    if ((rc = db_begin(c, e)))
        return rc;
    if ((rc = db_prepare(c, "SELECT id FROM tenants ORDER BY id LIMIT 1", &st, e)))
        goto out;
    rc = db_step(st, e);
    int64_t tid = rc == DB_ROW ? db_col_int(st, 0) : 0;
    db_reset(st);
    if (rc < 0)
        goto out;
    rc = 0;
    int fresh = !tid;
    if (fresh) {
        const char *name = cfg->demo ? "深圳市龙岗区机关事务管理局" : "机关事务管理局";
        const char *code = cfg->demo ? "longgang" : "default";
        if ((rc = db_prepare(c,
                             "INSERT INTO tenants (version, created_at, updated_at, name, code, "
                             "admin_level, utc_offset_min) VALUES (1, ?, ?, ?, ?, 'county', ?) "
                             "RETURNING id",
                             &st, e)))
            goto out;
        int64_t now = clock_now();
        db_bind_int(st, 1, now);
        db_bind_int(st, 2, now);
        db_bind_text(st, 3, name, strlen(name));
        db_bind_text(st, 4, code, strlen(code));
        db_bind_int(st, 5, cfg->utc_offset_min);
        rc = db_step(st, e);
        tid = rc == DB_ROW ? db_col_int(st, 0) : 0;
        db_reset(st);
        if (rc < 0)
            goto out;
        rc = 0;
        for (const struct module *const *m = engine_modules(); *m && !rc; m++)
            if ((*m)->seed_tenant)
                rc = (*m)->seed_tenant(c, tid, e);
        if (!rc)
            rc = auth_bootstrap_admin(c, tid, 1, e);
        if (rc)
            goto out;
    }
    if (cfg->demo && fresh) {
        uint64_t t0 = clock_us();
        const char *verbose = getenv("BUREAU_DEMO_VERBOSE"); /* each module's time */
        for (const struct module *const *m = engine_modules(); *m && !rc; m++)
            if ((*m)->demo) {
                uint64_t t1 = clock_us();
                rc = (*m)->demo(c, tid, DEMO_SEED, e);
                if (verbose && *verbose)
                    log_info("demo %s: %.2f s", (*m)->name, (double)(clock_us() - t1) / 1e6);
            }
        if (!rc)
            log_info("demo data created in %.2f s", (double)(clock_us() - t0) / 1e6);
    }
out:
    if (rc) {
        db_rollback(c);
        return rc;
    }
    return db_commit(c, e);
}

static int prepare_db(struct db *db, const struct config *cfg)
{
    struct err e;
    int from = 0;
    err_clear(&e);
    if (migrate_run(db, 0, &from, &e)) {
        fprintf(stderr, "bureau: %s\n", e.detail);
        return -1;
    }
    if (from != res_schema_version())
        log_info("database schema upgraded from version %d to %d", from, res_schema_version());
    if (bootstrap(db, cfg, &e)) {
        fprintf(stderr, "bureau: cannot set up the first tenant: %s\n", e.detail);
        return -1;
    }
    return 0;
}

static int cmd_serve(int argc, char **argv)
{
    struct config cfg;
    config_defaults(&cfg);
    if (parse_args(argc, argv, &cfg, NULL, 0) < 0)
        return usage();
    if ((cfg.tls_cert != NULL) != (cfg.tls_key != NULL)) {
        fprintf(stderr, "bureau: --tls-cert and --tls-key go together\n");
        return 1;
    }
    log_set_requests(!cfg.quiet);
    struct err e;
    err_clear(&e);
    if (web_init(&cfg, &e)) {
        fprintf(stderr, "bureau: %s\n", e.detail);
        return 1;
    }
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);

    struct db *db = open_db(&cfg, 1);
    if (!db)
        return 1;
    if (prepare_db(db, &cfg)) {
        db_close(db);
        return 1;
    }
    struct server *s = server_start(&cfg, db, &e);
    if (!s) {
        fprintf(stderr, "bureau: %s\n", e.detail);
        db_close(db);
        return 1;
    }
    auth_note_config(&cfg);
    config_note(&cfg);
    if (jobs_start(db, cfg.jobs_interval_s, &e))
        log_warn("job runner not started: %s", e.detail);
    if (notify_start(db, &cfg, &e))
        log_warn("webhook dispatcher not started: %s", e.detail);
    log_info("bureau %s listening on http://%s:%d (database %s, %d threads)", BUREAU_VERSION,
             cfg.listen_host, server_port(s), db_dialect(db) == DB_PG ? "postgresql" : cfg.db_url,
             cfg.threads);
    if (cfg.demo)
        fprintf(stderr,
                "\n  bureau is running at http%s://%s:%d/\n"
                "  Sign in as admin (the password is printed above when the database was created,\n"
                "  or set BUREAU_ADMIN_PASSWORD before the first start), or as a demo user:\n"
                "  leader, auditor, staff, liaison, fleet_manager, … with password Bureau-demo-2026\n"
                "  (README: Demo users).\n\n",
                cfg.tls_cert ? "s" : "", cfg.listen_host, server_port(s));
    int sig = 0;
    sigwait(&set, &sig);
    log_info("signal %d: stopping (finishing in-flight requests)", sig);
    server_stop(s, 10000);
    notify_stop(); /* ends webhook transfers in flight, so the job runner stops at once */
    jobs_stop();
    db_close(db);
    log_info("stopped cleanly");
    return 0;
}

static int cmd_init(int argc, char **argv)
{
    struct config cfg;
    config_defaults(&cfg);
    if (parse_args(argc, argv, &cfg, NULL, 0) < 0)
        return usage();
    struct db *db = open_db(&cfg, 1);
    if (!db)
        return 1;
    int rc = prepare_db(db, &cfg);
    db_close(db);
    if (!rc)
        printf("database %s is at schema version %d\n", cfg.db_url, res_schema_version());
    return rc ? 1 : 0;
}

static int cmd_backup(int argc, char **argv)
{
    struct config cfg;
    const char *out[1] = {NULL};
    config_defaults(&cfg);
    if (parse_args(argc, argv, &cfg, out, 1) != 1)
        return usage();
    struct db *db = open_db(&cfg, 0);
    if (!db)
        return 1;
    struct err e;
    err_clear(&e);
    int rc = db_backup(db, out[0], &e);
    db_close(db);
    if (rc) {
        fprintf(stderr, "bureau: backup failed: %s\n", e.detail);
        return 1;
    }
    printf("backup written to %s\n", out[0]);
    return 0;
}

static int cmd_version(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("bureau %s (schema version %d)\n", BUREAU_VERSION, res_schema_version());
    return 0;
}

static int cmd_dump_ddl(int argc, char **argv)
{
    if (argc != 1 || (strcmp(argv[0], "sqlite") && strcmp(argv[0], "pg")))
        return usage();
    struct buf b;
    buf_init(&b, NULL);
    buf_puts(&b, "-- DO NOT EDIT - generated by bureau dump-ddl\n");
    ddl_all(&b, strcmp(argv[0], "pg") ? db_sqlite_backend.sql : db_pg_backend.sql);
    fwrite(b.p, 1, b.len, stdout);
    buf_release(&b);
    return 0;
}

static int cmd_dump_openapi(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct buf b;
    buf_init(&b, NULL);
    openapi_dump(&b);
    fwrite(b.p, 1, b.len, stdout);
    buf_release(&b);
    return 0;
}

static int cmd_dump_meta(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct buf b;
    buf_init(&b, NULL);
    uimeta_dump(&b);
    fwrite(b.p, 1, b.len, stdout);
    buf_release(&b);
    return 0;
}

static const struct {
    const char *name;
    int (*fn)(int argc, char **argv);
} commands[] = {
    {"serve", cmd_serve},         {"init", cmd_init},         {"backup", cmd_backup},
    {"version", cmd_version},     {"dump-ddl", cmd_dump_ddl}, {"dump-openapi", cmd_dump_openapi},
    {"dump-meta", cmd_dump_meta}, {"audit", audit_cli},
};

int main(int argc, char **argv)
{
    struct err e;
    if (argc < 2)
        return usage();
    if (sodium_init() < 0) {
        fprintf(stderr, "bureau: cannot initialise libsodium\n");
        return 1;
    }
    if (notify_global_init()) {
        fprintf(stderr, "bureau: cannot initialise libcurl\n");
        return 1;
    }
    err_clear(&e);
    if (engine_init(modules_list(), &e)) {
        fprintf(stderr, "bureau: bad entity declarations: %s\n", e.detail);
        return 1;
    }
    for (size_t i = 0; i < ARRAY_LEN(commands); i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 2, argv + 2);
    for (const struct module *const *m = engine_modules(); *m; m++)
        if ((*m)->command && !strcmp(argv[1], (*m)->name))
            return (*m)->command(argc - 2, argv + 2);
    return usage();
}
