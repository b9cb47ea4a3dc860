/* SPDX-License-Identifier: MIT
 * procure/bid_demo.c - the demo's suppliers (300, with valid unified social
 * credit codes; the demo user "supplier" is the first one's portal login)
 * and bids: on each project the lifecycle's demo made that has taken its
 * bids, a seal opened and 3 to 7 opened bids with their prices; on each
 * project still taking bids, a seal and sealed bids. The demo's seals derive
 * their key and shares from the public demo seed (demo_seed, shown by GET
 * /api/v1/bid_seals/{id}/demo_shares) so that anyone can try an opening;
 * a real seal has no such seed. Prepared INSERTs, no per-row audit.
 */
#include "bids.h"
#include "../../base/arena.h"
#include "../../base/base.h"
#include "../../base/err.h"
#include "../../base/rng.h"
#include "../../core/http.h"
#include "../../db/db.h"
#include "../../engine/idformat.h"
#include "../identity/identity.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define NSUPPLIERS 300

static const char *const places[] = {"深圳", "广州", "东莞", "佛山", "珠海", "惠州", "中山", "江门",
                                     "汕头", "湛江", "肇庆", "清远"};
static const char *const words[] = {"华信", "鹏达", "恒通", "宏远", "粤海", "安捷", "天成", "中联",
                                    "新创", "嘉禾", "锦程", "瑞丰", "盛世", "立方", "联合", "金桥",
                                    "志诚", "海纳", "永业", "南方", "凯越", "华瑞", "鼎盛", "德信",
                                    "信达"};
static const char *const trades[] = {"办公设备", "信息技术", "物业服务", "建筑工程", "食品供应",
                                     "家具制造", "印刷", "安防科技", "环保科技", "车辆服务",
                                     "医疗器械", "文化传播"};
static const char *const surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高";
static const char *const givens[] = {"伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇",
                                     "艳", "杰", "涛", "明", "超", "秀英", "建华", "志强"};
static const char *const regions[] = {"440300", "440100", "441900", "440600", "440400", "441300"};

/* 17 characters of a code (the registering authority 9, the kind 1, the
 * region, an organisation code of 9) and its check character. */
static void make_uscc(struct rng *g, char out[19])
{
    static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
    snprintf(out, 19, "91%s", regions[rng_below(g, 6)]);
    for (int i = 8; i < 17; i++)
        out[i] = set[i < 10 ? rng_below(g, 10) : rng_below(g, 31)];
    out[17] = 0;
    out[17] = idf_uscc_check(out);
    out[18] = 0;
}

static int64_t insert_id(struct db_stmt *st, int *rc, struct err *e)
{
    int64_t id = 0;
    if ((*rc = db_step(st, e)) == DB_ROW)
        id = db_col_int(st, 0), *rc = 0;
    else if (*rc >= 0)
        *rc = err_set(e, ERR_INTERNAL, NULL, NULL, "no id returned");
    db_reset(st);
    return id;
}

int pc_demo_suppliers(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(1u << 20);
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    int64_t login = 0, now = clock_now();
    int rc = identity_user_id(&r, c, "supplier", &login, e);
    struct db_stmt *st = NULL;
    if (!rc)
        rc = db_prepare(c,
                        "INSERT INTO suppliers (tenant_id, version, created_at, updated_at, name, "
                        "uscc, legal_rep, contact, phone, email, address, user_id, status, "
                        "approved_at) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        &st, e);
    struct rng g = {seed ^ 0x5EA1ED0B1D5ull};
    char used[NSUPPLIERS][19];
    for (int i = 0; i < NSUPPLIERS && !rc; i++) {
        char name[160], code[19], rep[32], contact[32], phone[16], email[64], addr[96];
        int w = rng_below(&g, 25), t = rng_below(&g, 12), p = rng_below(&g, 12);
        snprintf(name, sizeof(name), "%s%s%s%s有限公司", places[p], words[w], trades[t],
                 i % 3 ? "" : "服务");
        /* names may repeat: the code is what identifies a supplier */
        int dup;
        do {
            make_uscc(&g, code);
            dup = 0;
            for (int j = 0; j < i && !dup; j++)
                dup = !strcmp(used[j], code);
        } while (dup);
        memcpy(used[i], code, sizeof(code));
        int s1 = rng_below(&g, 20), s2 = rng_below(&g, 20);
        snprintf(rep, sizeof(rep), "%.3s%s", surnames + 3 * s1, givens[rng_below(&g, 18)]);
        snprintf(contact, sizeof(contact), "%.3s%s", surnames + 3 * s2, givens[rng_below(&g, 18)]);
        snprintf(phone, sizeof(phone), "13%d%08d", rng_range(&g, 0, 9), rng_below(&g, 100000000));
        snprintf(email, sizeof(email), "bid%03d@supplier%03d.example.cn", i + 1, i + 1);
        snprintf(addr, sizeof(addr), "%s市%s路%d号", places[p], words[rng_below(&g, 25)],
                 rng_range(&g, 1, 999));
        const char *status = i % 30 == 29 ? "pending" : i % 60 == 58 ? "suspended" : "approved";
        db_bind_int(st, 1, tenant_id);
        db_bind_int(st, 2, now);
        db_bind_int(st, 3, now);
        db_bind_text(st, 4, name, strlen(name));
        db_bind_text(st, 5, code, 18);
        db_bind_text(st, 6, rep, strlen(rep));
        db_bind_text(st, 7, contact, strlen(contact));
        db_bind_text(st, 8, phone, strlen(phone));
        db_bind_text(st, 9, email, strlen(email));
        db_bind_text(st, 10, addr, strlen(addr));
        db_bind_int_or_null(st, 11, i == 0 ? login : 0);
        db_bind_text(st, 12, status, strlen(status));
        db_bind_int_or_null(st, 13, strcmp(status, "approved") ? 0 : now - 86400 * (400 - i));
        rc = db_step(st, e);
        db_reset(st);
        rc = rc < 0 ? rc : 0;
    }
    arena_free(a);
    return rc;
}

/* The demo seed of a project's seal (public: the demo's). */
static void seal_seed(uint64_t seed, int64_t tenant, int64_t project, unsigned char out[32])
{
    char in[96];
    int n = snprintf(in, sizeof(in), "bureau demo seal %llu %lld %lld", (unsigned long long)seed,
                     (long long)tenant, (long long)project);
    crypto_generichash(out, 32, (const unsigned char *)in, (size_t)n, NULL, 0);
}

struct proj {
    int64_t id, deadline, budget;
    int opened;
};

int pc_demo_bids(struct db_conn *c, int64_t tenant_id, uint64_t seed, struct err *e)
{
    struct arena *a = arena_new(8u << 20);
    if (!a)
        return err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    int rc = 0;
    int64_t now = clock_now();
    /* the projects: the lifecycle's fields as it declares them */
    int has_budget = res_field_find(&pc_projects, "budget_fen", 10) != NULL;
    int has_method = res_field_find(&pc_projects, "method", 6) != NULL;
    int has_susp = res_field_find(&pc_projects, "suspended_from", 14) != NULL;
    /* a project suspended by a complaint took its bids where it was */
    const char *state =
        has_susp ? "CASE WHEN status = 'suspended' THEN suspended_from ELSE status END" : "status";
    char sql[1024];
    snprintf(sql, sizeof(sql),
             "SELECT id, %s, COALESCE(bid_deadline, 0), %s FROM procurement_projects WHERE "
             "tenant_id = ? AND %s IN ('notice_published', 'bidding', 'opening', "
             "'evaluation', 'result_publicity', 'complaint_window', 'contract', 'performance', "
             "'closed')%s ORDER BY id",
             state, has_budget ? "COALESCE(budget_fen, 0)" : "0", state,
             has_method ? " AND method <> 'self'" : "");
    struct db_stmt *st;
    size_t np = 0, cap = 256;
    struct proj *ps = arena_alloc(a, cap * sizeof(*ps));
    if (!ps || (rc = db_prepare_ints(c, sql, DB_INTS(tenant_id), &st, e))) {
        arena_free(a);
        return ps ? rc : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    while ((rc = db_step(st, e)) == DB_ROW && np < cap) {
        const char *s = db_col_text(st, 1, NULL);
        ps[np].id = db_col_int(st, 0);
        ps[np].deadline = db_col_int(st, 2);
        ps[np].budget = db_col_int(st, 3);
        ps[np].opened = strcmp(s, "notice_published") && strcmp(s, "bidding");
        np++;
    }
    db_reset(st);
    if (rc < 0) {
        arena_free(a);
        return rc;
    }
    rc = 0;
    /* the approved suppliers, and the demo officials (k = 2 of these 3) */
    int64_t *sup = arena_alloc(a, NSUPPLIERS * sizeof(int64_t));
    int ns = 0;
    if (!sup || (rc = db_prepare_ints(c,
                                      "SELECT id FROM suppliers WHERE tenant_id = ? AND status = "
                                      "'approved' ORDER BY id",
                                      DB_INTS(tenant_id), &st, e))) {
        arena_free(a);
        return sup ? rc : err_set(e, ERR_BUDGET, NULL, NULL, "out of memory");
    }
    while ((rc = db_step(st, e)) == DB_ROW && ns < NSUPPLIERS)
        sup[ns++] = db_col_int(st, 0);
    db_reset(st);
    struct req r;
    req_init_internal(&r, a, NULL, NULL);
    r.tenant_id = tenant_id;
    static const char *const offs[] = {"procurement_manager", "leader", "auditor"};
    int64_t off[3] = {0};
    for (int i = 0; i < 3 && rc >= 0; i++)
        rc = identity_user_id(&r, c, offs[i], &off[i], e);
    if (rc < 0 || !ns || !off[0] || !off[1] || !off[2]) {
        arena_free(a);
        return rc < 0 ? rc : 0;
    }
    struct db_stmt *ins_seal = NULL, *ins_off = NULL, *ins_bid = NULL;
    if ((rc = db_prepare(c,
                         "INSERT INTO bid_seals (tenant_id, version, created_at, updated_at, "
                         "project_id, public_key, k, n, status, sealed_at, opened_at, "
                         "opened_bids, demo_seed) VALUES (?, 1, ?, ?, ?, ?, 2, 3, ?, ?, ?, ?, ?) "
                         "RETURNING id",
                         &ins_seal, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO opening_officials (tenant_id, version, created_at, "
                         "updated_at, seal_id, user_id, share_no, share_sha256, handed_at) VALUES "
                         "(?, 1, ?, ?, ?, ?, ?, ?, ?)",
                         &ins_off, e)) ||
        (rc = db_prepare(c,
                         "INSERT INTO bids (tenant_id, version, created_at, updated_at, "
                         "project_id, supplier_id, status, submitted_at, cipher_sha256, "
                         "cipher_bytes, cipher, price_fen, valid, technical, opened_at) VALUES "
                         "(?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &ins_bid, e))) {
        arena_free(a);
        return rc;
    }
    struct rng g = {seed ^ 0xB1D5EA1ull};
    for (size_t i = 0; i < np && !rc; i++) {
        struct proj *p = &ps[i];
        unsigned char sd[32], pk[PC_PK_BYTES];
        struct pc_share sh[3];
        seal_seed(seed, tenant_id, p->id, sd);
        if (pc_seal_deal_demo(2, 3, sd, pk, sh)) {
            rc = err_set(e, ERR_INTERNAL, NULL, NULL, "cannot deal the demo shares");
            break;
        }
        char pk64[48], sdhex[65];
        sodium_bin2base64(pk64, sizeof(pk64), pk, sizeof(pk), sodium_base64_VARIANT_ORIGINAL);
        sodium_bin2hex(sdhex, sizeof(sdhex), sd, sizeof(sd));
        int64_t deadline = p->deadline ? p->deadline : now - 86400 * (int64_t)(np - i);
        int64_t sealed_at = deadline - 21 * 86400, opened_at = p->opened ? deadline + 1800 : 0;
        int nb = rng_range(&g, 3, 7);
        if (!p->deadline && !p->opened) {
            /* its notice published, its documents not yet issued: sealed, no bids yet */
            nb = 0;
            sealed_at = now - 86400;
        }
        db_bind_int(ins_seal, 1, tenant_id);
        db_bind_int(ins_seal, 2, sealed_at);
        db_bind_int(ins_seal, 3, opened_at ? opened_at : sealed_at);
        db_bind_int(ins_seal, 4, p->id);
        db_bind_text(ins_seal, 5, pk64, strlen(pk64));
        db_bind_text(ins_seal, 6, p->opened ? "opened" : "sealed", p->opened ? 6 : 6);
        db_bind_int(ins_seal, 7, sealed_at);
        db_bind_int_or_null(ins_seal, 8, opened_at);
        db_bind_int_or_null(ins_seal, 9, p->opened ? nb : 0);
        db_bind_text(ins_seal, 10, sdhex, 64);
        int64_t seal = insert_id(ins_seal, &rc, e);
        for (int j = 0; j < 3 && !rc; j++) {
            char hex[65];
            pc_share_hash(seal, &sh[j], hex);
            db_bind_int(ins_off, 1, tenant_id);
            db_bind_int(ins_off, 2, sealed_at);
            db_bind_int(ins_off, 3, sealed_at);
            db_bind_int(ins_off, 4, seal);
            db_bind_int(ins_off, 5, off[j]);
            db_bind_int(ins_off, 6, sh[j].no);
            db_bind_text(ins_off, 7, hex, 64);
            db_bind_int(ins_off, 8, sealed_at + 600);
            rc = db_step(ins_off, e);
            db_reset(ins_off);
            rc = rc < 0 ? rc : 0;
        }
        sodium_memzero(sh, sizeof(sh));
        /* the bids: distinct suppliers, prices around the budget */
        int64_t base = p->budget > 0 ? p->budget : (int64_t)rng_range(&g, 20, 600) * 1000000;
        int first = rng_below(&g, ns), step = 1 + rng_below(&g, ns - 1 > 0 ? ns - 1 : 1);
        for (int j = 0; j < nb && !rc; j++) {
            int64_t supplier = sup[(first + j * step) % ns];
            int64_t price = base * rng_range(&g, 78, 99) / 100 / 100 * 100;
            char env[256];
            int n = snprintf(env, sizeof(env),
                             "{\"v\":1,\"project_id\":%lld,\"supplier_id\":%lld,\"price_fen\":%lld,"
                             "\"technical\":\"完全响应招标文件技术要求，交付期%d天，质保%d年\"}",
                             (long long)p->id, (long long)supplier, (long long)price,
                             rng_range(&g, 15, 90), rng_range(&g, 1, 5));
            unsigned char box[256 + crypto_box_SEALBYTES], bseed[32], h[32];
            char b64[sodium_base64_ENCODED_LEN(sizeof(box), sodium_base64_VARIANT_ORIGINAL)],
                hx[65];
            crypto_generichash(bseed, sizeof(bseed), (const unsigned char *)env, (size_t)n, sd,
                               sizeof(sd));
            pc_seal_box_demo((const unsigned char *)env, (size_t)n, pk, bseed, box);
            size_t blen = (size_t)n + crypto_box_SEALBYTES;
            crypto_hash_sha256(h, box, blen);
            sodium_bin2hex(hx, sizeof(hx), h, sizeof(h));
            sodium_bin2base64(b64, sizeof(b64), box, blen, sodium_base64_VARIANT_ORIGINAL);
            int64_t at = deadline - 86400 * rng_range(&g, 1, 15);
            const char *tech = strstr(env, "\"technical\":\"") + 13;
            db_bind_int(ins_bid, 1, tenant_id);
            db_bind_int(ins_bid, 2, at);
            db_bind_int(ins_bid, 3, opened_at ? opened_at : at);
            db_bind_int(ins_bid, 4, p->id);
            db_bind_int(ins_bid, 5, supplier);
            db_bind_text(ins_bid, 6, p->opened ? "opened" : "submitted", p->opened ? 6 : 9);
            db_bind_int(ins_bid, 7, at);
            db_bind_text(ins_bid, 8, hx, 64);
            db_bind_int(ins_bid, 9, (int64_t)blen);
            db_bind_text(ins_bid, 10, b64, strlen(b64));
            db_bind_int_or_null(ins_bid, 11, p->opened ? price : 0);
            if (p->opened)
                db_bind_int(ins_bid, 12, 1);
            else
                db_bind_null(ins_bid, 12);
            if (p->opened)
                db_bind_text(ins_bid, 13, tech, strlen(tech) - 2);
            else
                db_bind_null(ins_bid, 13);
            db_bind_int_or_null(ins_bid, 14, opened_at);
            rc = db_step(ins_bid, e);
            db_reset(ins_bid);
            rc = rc < 0 ? rc : 0;
        }
    }
    arena_free(a);
    return rc;
}
