/*
 * Operation results as text for a terminal: tables that line up Chinese text, amounts as
 * 1,234.56元, one line per workflow step. Every renderer reads only the result document,
 * the same one `--json` prints and the HTTP API sends, so what a person reads cannot say
 * something the document does not.
 */
#include "cli/render.h"

#include <stdlib.h>
#include <string.h>

#include "base/fixed.h"
#include "cli/cli.h"

typedef int (*renderer)(const json_t *out, const hq_corpus *c, hq_strbuf *sb);

static const char *S(const json_t *o, const char *k)
{
    const char *v = json_string_value(json_object_get(o, k));
    return v ? v : "";
}

static long long I(const json_t *o, const char *k)
{
    return (long long)json_integer_value(json_object_get(o, k));
}

static void yuan(long long fen, char *buf, size_t size)
{
    fen_format(fen, true, buf, size);
}

/* "1234567.80" (the documents' amount text) as "1,234,567.80". */
static void yuan_text(const char *amount, char *buf, size_t size)
{
    hq_fixed v;
    if (amount && *amount && !fixed_parse(amount, strlen(amount), 2, &v)) fen_format(fixed_to_fen(v), true, buf, size);
    else snprintf(buf, size, "%s", amount ? amount : "");
}

static int render_message(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "%s\n", S(out, "message"));
    return EXIT_OK;
}

static int render_items(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    cli_cell(sb, "编号", 11), cli_cell(sb, "文件", 20), cli_cell(sb, "条", 4), cli_cell(sb, "项", 7);
    cli_cell(sb, "事项", 50), cli_cell(sb, "责任单位", 20), sb_puts(sb, "类别\n");
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(out, "items"), i, it) {
        char art[16];
        snprintf(art, sizeof art, "%lld", I(it, "article"));
        cli_cell(sb, S(it, "id"), 11), cli_cell(sb, S(it, "number"), 20), cli_cell(sb, art, 4), cli_cell(sb, S(it, "row"), 7);
        cli_cell(sb, S(it, "title"), 50), cli_cell(sb, S(it, "department"), 20);
        sb_printf(sb, "%s\n", S(it, "kind"));
    }
    sb_printf(sb, "共 %lld 项\n", I(out, "count"));
    return EXIT_OK;
}

/* An item's or a part's 附则3 terms as one line: the project, the basis, the limits. */
static void render_terms(const json_t *t, const char *part, hq_strbuf *sb)
{
    if (!t || !json_object_size(t)) return;
    sb_printf(sb, "    %s%s", *part ? part : "整项", "：");
    if (*S(t, "project")) sb_printf(sb, "项目「%s」 ", S(t, "project"));
    if (*S(t, "basis_zh")) sb_printf(sb, "依据%s%s ", *S(t, "basis_year") ? S(t, "basis_year") : "", S(t, "basis_zh"));
    if (*S(t, "limit_total")) sb_printf(sb, "累计不超过%s ", S(t, "limit_total"));
    if (I(t, "limit_years")) sb_printf(sb, "最多奖补%lld年 ", I(t, "limit_years"));
    if (I(t, "quota")) sb_printf(sb, "每年名额%lld个 ", I(t, "quota"));
    sb_puts(sb, "\n");
}

static int render_item(const json_t *it, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "【%s】%s（%s 第%lld条 第(%s)项）\n  责任单位：%s；类别：%s\n  原文：「%s」\n", S(it, "id"), S(it, "title"),
              S(it, "number"), I(it, "article"), S(it, "row"), S(it, "department"), S(it, "kind"), S(it, "source"));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(it, "conditions"), i, v) sb_printf(sb, "  条件：%s\n", json_string_value(v));
    if (json_array_size(json_object_get(it, "duty"))) {
        sb_puts(sb, "  责任类型：");
        json_array_foreach(json_object_get(it, "duty"), i, v) sb_printf(sb, "%s%s", i ? "、" : "", json_string_value(v));
        sb_puts(sb, "\n");
    }
    if (*S(it, "recur_zh")) sb_printf(sb, "  附则3：%s\n", S(it, "recur_zh"));
    render_terms(json_object_get(it, "terms"), "", sb);
    json_array_foreach(json_object_get(it, "parts"), i, v) render_terms(json_object_get(v, "terms"), S(v, "label"), sb);
    if (*S(it, "guide")) sb_printf(sb, "  解读说明：%s\n", S(it, "guide"));
    return EXIT_OK;
}

static int render_documents(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    size_t i;
    json_t *d;
    json_array_foreach(json_object_get(out, "documents"), i, d)
        sb_printf(sb, "%s %s（%s 至 %s）：分工表 %lld 行，条款 %lld 项，可测算 %lld 项\n", S(d, "number"), S(d, "title"),
                  S(d, "issued"), S(d, "expires"), I(d, "table_rows"), I(d, "items"), I(d, "computable"));
    return EXIT_OK;
}

static int render_facts(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    cli_cell(sb, "事实 fact", 34), cli_cell(sb, "类型", 14), cli_cell(sb, "按年", 6), cli_cell(sb, "名称", 44);
    sb_puts(sb, "数据来源\n");
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(out, "facts"), i, f) {
        cli_cell(sb, S(f, "name"), 34), cli_cell(sb, S(f, "type"), 14);
        cli_cell(sb, json_is_true(json_object_get(f, "yearly")) ? "是" : "", 6), cli_cell(sb, S(f, "label"), 44);
        sb_printf(sb, "%s\n", S(f, "from"));
    }
    sb_puts(sb, "\n名单 lists (entity.lists):\n");
    json_array_foreach(json_object_get(out, "lists"), i, f) sb_printf(sb, "  %s — %s\n", S(f, "name"), S(f, "from"));
    sb_puts(sb, "\n认定/奖项 recognitions (entity.recognitions):\n");
    json_array_foreach(json_object_get(out, "recognitions"), i, f) sb_printf(sb, "  %s — %s\n", S(f, "name"), S(f, "from"));
    return EXIT_OK;
}

/* The reason column: the failed condition, the missing facts, or the 附则3 note and the
 * parts still waiting for data. */
static void reason(const json_t *r, hq_strbuf *sb)
{
    const char *status = S(r, "status");
    if (!strcmp(status, "ineligible")) sb_puts(sb, S(r, "failed"));
    else if (!strcmp(status, "needs_data")) sb_printf(sb, "缺少：%s", S(r, "missing"));
    else {
        sb_puts(sb, S(r, "stacking"));
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(r, "parts_needing_data"), i, p)
            sb_printf(sb, "%s分项「%s」待补充数据", sb->len && i == 0 ? "；" : i ? "、" : "", S(p, "part"));
    }
}

static int render_assessment(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "企业：%s（%s）  测算年度：%lld  规则库：%.12s\n", S(out, "name"), S(out, "credit_code"), I(out, "year"),
              S(out, "corpus_hash"));
    if (json_is_true(json_object_get(out, "whatif"))) sb_puts(sb, "（测算假设：按修改后的规则测算，非正式结论）\n");
    sb_puts(sb, "\n");
    cli_cell(sb, "编号", 11), cli_cell(sb, "事项", 46), cli_cell(sb, "结论", 11);
    cli_cell_right(sb, "测算金额(元)", 16), sb_puts(sb, "  "), cli_cell_right(sb, "核定金额(元)", 16), sb_puts(sb, "  说明\n");
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(out, "results"), i, r) {
        const char *status = S(r, "status");
        char amt[48] = "", fin[48] = "", label[64];
        if (strcmp(status, "ineligible")) yuan(I(r, "amount_fen"), amt, sizeof amt);
        if (json_object_get(r, "final_fen")) yuan(I(r, "final_fen"), fin, sizeof fin);
        snprintf(label, sizeof label, "%s%s%s", S(r, "status_zh"), json_is_true(json_object_get(r, "partial")) ? "(部分)" : "",
                 !strcmp(S(r, "form"), "服务券") ? "(券)" : "");
        cli_cell(sb, S(r, "item"), 11), cli_cell(sb, S(r, "title"), 46), cli_cell(sb, label, 11);
        cli_cell_right(sb, amt, 16), sb_puts(sb, "  "), cli_cell_right(sb, fin, 16), sb_puts(sb, "  ");
        reason(r, sb);
        sb_puts(sb, "\n");
    }
    const json_t *n = json_object_get(out, "counts");
    char tb[48], ta[48];
    yuan(I(out, "total_fen"), tb, sizeof tb);
    yuan(I(out, "final_total_fen"), ta, sizeof ta);
    sb_printf(sb, "\n符合 %lld 项，待补充数据 %lld 项，不符合 %lld 项。\n", I(n, "eligible"), I(n, "needs_data"),
              I(n, "ineligible") + I(n, "error"));
    sb_printf(sb, "测算合计 %s元；按附则3处理后核定合计 %s元。\n", tb, ta);
    if (I(out, "voucher_final_fen")) {
        yuan(I(out, "voucher_final_fen"), ta, sizeof ta);
        sb_printf(sb, "另核定高质量发展服务券 %s元（不计入现金合计与年度上限）。\n", ta);
    }
    if (*S(out, "stacking_log")) sb_printf(sb, "\n附则3处理：\n%s", S(out, "stacking_log"));
    return EXIT_OK;
}

static int render_explain(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "%s  决策编号：%s  规则库：%.12s  测算年度：%lld\n", S(out, "explanation"), S(out, "decision_id"),
              S(out, "corpus_hash"), I(out, "year"));
    return EXIT_OK;
}

static void award_line(const json_t *a, hq_strbuf *sb)
{
    char amount[48];
    yuan(I(a, "amount_fen"), amount, sizeof amount);
    sb_printf(sb, "%-6lld ", I(a, "id"));
    /* People read the item's title; the identifier is for --json and the commands. */
    char item[HQ_LABEL_MAX + 16];
    snprintf(item, sizeof item, "%s%s", S(a, "title"), json_is_true(json_object_get(a, "voucher")) ? "（服务券）" : "");
    cli_cell(sb, S(a, "credit_code"), 19), cli_cell(sb, S(a, "name"), 26), cli_cell(sb, item, 36);
    cli_cell(sb, S(a, "state_zh"), 10), cli_cell_right(sb, amount, 16);
    sb_printf(sb, "  %lld %s\n", I(a, "year"), S(a, "note"));
}

static int render_awards(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_puts(sb, "编号   信用代码           企业名称                  条款                                状态                金额(元)  年度 说明\n");
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(out, "awards"), i, a) award_line(a, sb);
    sb_printf(sb, "共 %lld 条\n", I(out, "count"));
    return EXIT_OK;
}

static int render_award(const json_t *a, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    char amount[48], ent[48];
    yuan(I(a, "amount_fen"), amount, sizeof amount);
    yuan(I(a, "entitlement_fen"), ent, sizeof ent);
    sb_printf(sb, "奖补 #%lld  %s %s\n", I(a, "id"), S(a, "credit_code"), S(a, "name"));
    sb_printf(sb, "  条款 %s %s（%s，%s）  年度 %lld  状态 %s\n", S(a, "item"), S(a, "title"), S(a, "document"), S(a, "kind"),
              I(a, "year"), S(a, "state_zh"));
    sb_printf(sb, "  应得 %s元  核定 %s元%s  责任单位 %s\n", ent, amount,
              json_is_true(json_object_get(a, "voucher")) ? "（高质量发展服务券）" : "", S(a, "department"));
    sb_printf(sb, "  决策编号 %s  规则库 %.12s\n", S(a, "decision_id"), S(a, "corpus_hash"));
    if (*S(a, "stage")) sb_printf(sb, "  分节点：%s\n", S(a, "stage"));
    if (*S(a, "note")) sb_printf(sb, "  附则3/说明：%s\n", S(a, "note"));
    if (*S(a, "reason"))
        sb_printf(sb, "  %s：%s\n", !strcmp(S(a, "state"), "returned") ? "补正要求" : "驳回理由", S(a, "reason"));
    if (*S(a, "publicity_start")) sb_printf(sb, "  公示：%s 至 %s\n", S(a, "publicity_start"), S(a, "publicity_end"));
    /* Claims say what the award counts for against later ones; a single plain claim says
     * nothing the lines above have not. */
    const json_t *claims = json_object_get(a, "claims");
    const json_t *c0 = json_array_get(claims, 0);
    if (json_array_size(claims) > 1 || (c0 && (*S(c0, "project") || *S(c0, "basis") || *S(c0, "part")))) {
        sb_puts(sb, "  计入附则3的部分：\n");
        size_t i;
        json_t *cl;
        json_array_foreach(claims, i, cl) {
            char f[48];
            yuan(I(cl, "amount_fen"), f, sizeof f);
            sb_printf(sb, "    %s%s%s%s%s %s元（%lld年兑付，依据%lld年数据）\n", *S(cl, "part") ? S(cl, "part") : "整项",
                      *S(cl, "project") ? "  项目 " : "", S(cl, "project"), *S(cl, "basis_zh") ? "  依据 " : "",
                      S(cl, "basis_zh"), f, I(cl, "year"), I(cl, "data_year"));
        }
    }
    const json_t *p = json_object_get(a, "payment");
    if (p) {
        sb_printf(sb, "  兑付：%s 批次「%s」 ", S(p, "at"), S(p, "batch"));
        size_t i;
        json_t *sp;
        json_array_foreach(json_object_get(p, "splits"), i, sp) {
            char f[48];
            yuan(I(sp, "amount_fen"), f, sizeof f);
            sb_printf(sb, "%s%s %s元", i ? "，" : "", S(sp, "payer"), f);
        }
        sb_puts(sb, "\n");
    }
    sb_printf(sb, "%s", S(a, "explanation"));
    return EXIT_OK;
}

static int render_publicity(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(out, "awards"), i, a) {
        char amount[48];
        yuan_text(S(a, "amount"), amount, sizeof amount);
        sb_printf(sb, "#%lld %s %s %s %s元 公示 %s 至 %s\n", I(a, "id"), S(a, "name"), S(a, "item"), S(a, "title"), amount,
                  S(a, "publicity_start"), S(a, "publicity_end"));
    }
    sb_printf(sb, "公示中 %lld 条\n", I(out, "count"));
    return EXIT_OK;
}

static int render_import(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    if (json_is_true(json_object_get(out, "duplicate"))) {
        sb_printf(sb, "%s 的内容已于导入 #%lld 导入过, 未作改动\n", S(out, "file"), I(out, "import"));
        return EXIT_OK;
    }
    sb_printf(sb, "导入 #%lld %s (%s, %s): %lld 行", I(out, "import"), S(out, "file"), S(out, "kind"), S(out, "encoding"),
              I(out, "rows"));
    static const struct {
        const char *key, *zh;
    } N[] = {{"entities", "企业"}, {"facts", "事实"}, {"recognitions", "认定"}, {"lists", "名单"}, {"awards", "既往奖补"}, {"replaced", "其中更新已有数值"}};
    for (size_t k = 0; k < sizeof N / sizeof *N; k++)
        if (I(out, N[k].key)) sb_printf(sb, ", %s %lld", N[k].zh, I(out, N[k].key));
    sb_puts(sb, "\n");
    return EXIT_OK;
}

static int render_match(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb,
              "免申即享匹配 #%lld (%lld年度, 规则库 %.12s): %lld 户企业, 待申报奖补 %lld 条 (新增 %lld, 更新 %lld, 移除 %lld), "
              "用时 %.2f 秒\n",
              I(out, "run"), I(out, "year"), S(out, "corpus_hash"), I(out, "entities"), I(out, "candidates"), I(out, "added"),
              I(out, "updated"), I(out, "removed"), json_real_value(json_object_get(out, "seconds")));
    if (I(out, "rejected")) {
        sb_printf(sb, "其中 %lld 户企业数据未通过校验, 未参与测算:\n", I(out, "rejected"));
        size_t i;
        json_t *p;
        json_array_foreach(json_object_get(out, "problems"), i, p) sb_printf(sb, "%s: %s\n", S(p, "where"), S(p, "message"));
    }
    return EXIT_OK;
}

static int render_budgets(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_puts(sb, "年度  范围  条款/文件             预算(元)          硬上限(元)        已核定(元)        剩余(元)\n");
    size_t i;
    json_t *b;
    json_array_foreach(json_object_get(out, "budgets"), i, b) {
        char a[48], h[48] = "", u[48], r[48];
        yuan(I(b, "amount_fen"), a, sizeof a);
        if (I(b, "hard_fen")) yuan(I(b, "hard_fen"), h, sizeof h);
        yuan(I(b, "used_fen"), u, sizeof u);
        yuan(I(b, "remaining_fen"), r, sizeof r);
        sb_printf(sb, "%-5lld ", I(b, "year"));
        cli_cell(sb, !strcmp(S(b, "scope"), "item") ? "条款" : "文件", 6), cli_cell(sb, S(b, "key"), 20);
        cli_cell_right(sb, a, 16), cli_cell_right(sb, h, 18), cli_cell_right(sb, u, 18), cli_cell_right(sb, r, 16);
        sb_puts(sb, "\n");
    }
    return EXIT_OK;
}

static int render_budget_set(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "已设置 %lld年度 %s %s 预算\n", I(out, "year"), !strcmp(S(out, "scope"), "item") ? "条款" : "文件", S(out, "key"));
    if (json_object_get(out, "warning")) sb_printf(sb, "提醒：%s\n", S(out, "warning"));
    return EXIT_OK;
}

static int render_fiscal(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(out, "fiscal"), i, f)
        sb_printf(sb, "%s  市财政 %s  （%s，%s 起）\n", S(f, "district"), S(f, "city_share"), S(f, "source"), S(f, "as_of"));
    return EXIT_OK;
}

static int render_fiscal_set(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "已设置 %s 现行财政体制分担: 市财政 %s\n", S(out, "district"), S(out, "city_share"));
    return EXIT_OK;
}

static int render_audit_verify(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    long long from = I(out, "keyed_from");
    if (from && !json_is_true(json_object_get(out, "key")))
        sb_printf(sb, "注意：未找到审计密钥文件，只校验了链的结构；自第%lld条起的 %lld 条记录的密钥签名未能校验\n", from, I(out, "unchecked"));
    if (json_is_true(json_object_get(out, "ok"))) {
        sb_printf(sb, "审计日志完整: %lld 条记录, 哈希链校验通过%s; %lld 项奖补、%lld 笔兑付与审计日志一致%s\n", I(out, "rows"),
                  from && json_is_true(json_object_get(out, "key")) ? "（含密钥签名）" : "", I(out, "awards"), I(out, "payments"),
                  json_is_true(json_object_get(out, "checkpoint")) ? "; 检查点核对一致" : "");
        return EXIT_OK;
    }
    size_t i;
    json_t *p;
    json_array_foreach(json_object_get(out, "problems"), i, p) sb_printf(sb, "%s: %s\n", S(p, "where"), S(p, "message"));
    sb_printf(sb, "审计日志校验失败: %zu 处问题 (共 %lld 条记录)\n", json_array_size(json_object_get(out, "problems")), I(out, "rows"));
    return EXIT_FOUND;
}

static int render_audit_log(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    size_t i;
    json_t *r;
    json_array_foreach(json_object_get(out, "rows"), i, r) {
        char *after = json_object_get(r, "after") ? json_dumps(json_object_get(r, "after"), JSON_COMPACT) : NULL;
        sb_printf(sb, "#%-6lld %s  %-10s %-16s %-24s %s\n", I(r, "seq"), S(r, "at"), S(r, "actor"), S(r, "action"), S(r, "object"),
                  after ? after : "");
        free(after);
    }
    return EXIT_OK;
}

static int render_users(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    size_t i;
    json_t *u;
    json_array_foreach(json_object_get(out, "users"), i, u)
        sb_printf(sb, "%-4lld %-16s %-8s %-6s %s%s\n", I(u, "id"), S(u, "username"), S(u, "role_zh"), S(u, "status_zh"),
                  S(u, "credit_code"), S(u, "department"));
    return EXIT_OK;
}

static int render_user_add(const json_t *u, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    const char *bound = *S(u, "credit_code") ? S(u, "credit_code") : S(u, "department");
    sb_printf(sb, "已保存用户 %s（%s%s%s，%s）%s\n", S(u, "username"), S(u, "role_zh"), *bound ? "，" : "", bound,
              S(u, "status_zh"), json_is_true(json_object_get(u, "sessions_ended")) ? "；该用户已登录的会话全部失效" : "");
    return EXIT_OK;
}

static int render_whatif(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    char b[48], a[48], d[48];
    yuan(I(out, "before_fen"), b, sizeof b);
    yuan(I(out, "after_fen"), a, sizeof a);
    yuan(I(out, "change_fen"), d, sizeof d);
    sb_printf(sb, "政策测算 %lld年度，%lld 户企业：现行规则 %s元，调整后 %s元，变化 %s元\n", I(out, "year"), I(out, "entities"), b, a, d);
    char r[48], ab[48];
    yuan(I(out, "rule_change_fen"), r, sizeof r);
    yuan(I(out, "absorbed_fen"), ab, sizeof ab);
    sb_printf(sb, "  所调整条款按新规则计算的变化 %s元，其中附则3吸收 %s元\n", r, ab);
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(out, "by_item"), i, x) {
        char rc[48], ef[48];
        yuan(I(x, "change_fen"), d, sizeof d);
        yuan(I(x, "rule_change_fen"), rc, sizeof rc);
        yuan(I(x, "change_fen") - I(x, "rule_change_fen"), ef, sizeof ef);
        sb_printf(sb, "  %s：变化 %s元（条款计算变化 %s元，附则3影响 %s元）\n", S(x, "title"), d, rc, ef);
    }
    if (json_object_get(out, "ledger_open_fen")) {
        yuan(I(out, "ledger_open_fen"), d, sizeof d);
        sb_printf(sb, "  对照：台账中本年度待申报与办理中的现金奖补合计 %s元（按上次匹配时的数据）\n", d);
    }
    return EXIT_OK;
}

static int render_inbox(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    if (!I(out, "count")) {
        sb_puts(sb, "暂无待办事项\n");
        return EXIT_OK;
    }
    size_t i;
    json_t *t;
    json_array_foreach(json_object_get(out, "todo"), i, t) {
        char amount[48];
        yuan(I(t, "amount_fen"), amount, sizeof amount);
        sb_printf(sb, "待%s  %lld 项  共 %s元\n", S(t, "verb_zh"), I(t, "count"), amount);
    }
    return EXIT_OK;
}

static int render_material(const json_t *m, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "已上传材料 #%lld「%s」（%s，%lld 字节）SHA-256 %s\n", I(m, "id"), S(m, "name"), S(m, "type"), I(m, "size"),
              S(m, "sha256"));
    return EXIT_OK;
}

static int render_materials(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    if (!I(out, "count")) sb_printf(sb, "奖补 #%lld 尚无申报材料\n", I(out, "award"));
    size_t i;
    json_t *m;
    json_array_foreach(json_object_get(out, "materials"), i, m)
        sb_printf(sb, "#%-4lld %s  %s  %lld 字节  %s  SHA-256 %s\n", I(m, "id"), S(m, "name"), S(m, "type"), I(m, "size"), S(m, "at"),
                  S(m, "sha256"));
    return EXIT_OK;
}

static int render_bank(const json_t *out, const hq_corpus *c, hq_strbuf *sb)
{
    (void)c;
    sb_printf(sb, "收款账户（%s）\n  开户银行：%s\n  银行账号：%s\n  户名：%s\n  登记时间：%s\n", S(out, "entity"), S(out, "bank"),
              S(out, "account"), S(out, "holder"), S(out, "updated_at"));
    return EXIT_OK;
}

static const renderer RENDER[OP_ID__COUNT] = {
    [OP_ID_DOCUMENTS] = render_documents,   [OP_ID_ITEMS] = render_items,       [OP_ID_ITEM] = render_item,
    [OP_ID_FACTS] = render_facts,           [OP_ID_EVALUATE] = render_assessment, [OP_ID_EXPLAIN] = render_explain,
    [OP_ID_ENTITY_EVALUATE] = render_assessment, [OP_ID_WHATIF] = render_whatif, [OP_ID_AWARDS] = render_awards,
    [OP_ID_AWARD] = render_award,           [OP_ID_OBJECT] = render_message,    [OP_ID_RESOLVE] = render_message,
    [OP_ID_PUBLICITY] = render_publicity,   [OP_ID_IMPORT] = render_import,     [OP_ID_MATCH] = render_match,
    [OP_ID_BUDGETS] = render_budgets,       [OP_ID_BUDGET_SET] = render_budget_set, [OP_ID_FISCAL] = render_fiscal,
    [OP_ID_FISCAL_SET] = render_fiscal_set, [OP_ID_AUDIT_VERIFY] = render_audit_verify, [OP_ID_AUDIT_LOG] = render_audit_log, [OP_ID_USERS] = render_users,
    [OP_ID_USER_ADD] = render_user_add,    [OP_ID_INBOX] = render_inbox,     [OP_ID_USER_UPDATE] = render_user_add,
    [OP_ID_MATERIAL_ADD] = render_material,  [OP_ID_MATERIALS] = render_materials,
    [OP_ID_BANK] = render_bank,             [OP_ID_BANK_SET] = render_bank,
#define X(id, code, zh, from, to, roles, dept, fn) [OP_ID_WF_##id] = render_message,
    HQ_WF_VERBS(X)
#undef X
};

int render_text(hq_op_id id, const json_t *out, const hq_corpus *c, FILE *f)
{
    if (!RENDER[id]) { /* a document meant for machines (an entity): shown as it is */
        json_dumpf(out, f, JSON_INDENT(2));
        fputc('\n', f);
        return EXIT_OK;
    }
    hq_strbuf sb;
    sb_init(&sb, (size_t)64 << 20);
    int rc = RENDER[id](out, c, &sb);
    fputs(sb_str(&sb), f);
    sb_free(&sb);
    return rc;
}
