/*
 * Choose, from the awards `huiqi match` produced (`huiqi award list --json` in argv[2]),
 * the ones the scenarios act on, so that the suite runs on the fixtures or on any demo
 * dataset. Prints shell assignments (E2E_FIRM=… one a line) for run.sh to source:
 *
 *   the enterprise      a firm with a cash 资格定补 award (E2E_AWARD, paid in the end) and,
 *                       if it has one, a second award of the same department (E2E_SECOND,
 *                       which gets an objection during its publicity);
 *   the reviewer        of that award's department (the first, if several share the item);
 *   someone else's      a firm other than the enterprise (E2E_OTHER_FIRM, E2E_OTHER_AWARD),
 *                       and an award of another department (E2E_OTHER_DEPT_AWARD).
 *
 * E2E_FIRM in the environment forces the enterprise. Exits 1 when the data has no fit.
 */
import fs from 'node:fs';

const { awards } = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const usable = awards.filter((a) => a.state === 'candidate' && !a.voucher && Number(a.amount) > 0);
const deptOf = (a) => a.department.split(/[、,，]/)[0].replace(/[(（].*$/, '');
const fail = (why) => {
  console.error(`tests/e2e/pick.mjs: ${why}`);
  process.exit(1);
};

let main = null;
let second = null;
for (const a of usable) {
  if (a.kind !== '资格定补') continue;
  if (process.env.E2E_FIRM && a.credit_code !== process.env.E2E_FIRM) continue;
  const b = usable.find((x) => x.id !== a.id && x.credit_code === a.credit_code && deptOf(x) === deptOf(a));
  if (!main || (b && !second)) {
    main = a;
    second = b || null;
  }
  if (second) break;
}
if (!main) fail('no cash 资格定补 award to follow through the workflow');
const dept = deptOf(main);
const other = usable.find((a) => a.credit_code !== main.credit_code);
if (!other) fail('no award of a second firm (for the access checks)');
const otherDept = usable.find((a) => !a.department.includes(dept));
if (!otherDept) fail(`no award outside ${dept} (for the access checks)`);

const q = (v) => `'${String(v).replace(/'/g, `'\\''`)}'`;
const out = {
  E2E_FIRM: main.credit_code,
  E2E_FIRM_NAME: main.name,
  E2E_AWARD: main.id,
  E2E_ITEM: main.item,
  E2E_ITEM_TITLE: main.title,
  E2E_AMOUNT: main.amount,
  E2E_DEPT: dept,
  E2E_SECOND: second ? second.id : '',
  E2E_OTHER_FIRM: other.credit_code,
  E2E_OTHER_FIRM_NAME: other.name,
  E2E_OTHER_AWARD: other.id,
  E2E_OTHER_DEPT_AWARD: otherDept.id,
  E2E_DISTRICTS: [...new Set(awards.map((a) => a.district).filter(Boolean))].join(' '),
};
for (const [k, v] of Object.entries(out)) console.log(`export ${k}=${q(v)}`);
