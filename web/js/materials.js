/*
 * 申报材料 of one award (GET /api/awards/{id}/materials): the list with each file's size, time
 * and SHA-256 and a download link, and — for the firm while the award is still being applied
 * for — an upload of PDF or image files (POST, one file at a time, with progress).
 */
import { get, upload } from './api.js';
import { h, mount, field, notice, errorText, table } from './dom.js';
import { when } from './format.js';

const OPEN = ['candidate', 'pushed', 'applied', 'returned', 'accepted'];
const KIND = { 'application/pdf': 'PDF', 'image/png': 'PNG 图片', 'image/jpeg': 'JPEG 图片' };

function size(n) {
  return n >= 1 << 20 ? `${(n / (1 << 20)).toFixed(1)} MB` : n >= 1024 ? `${Math.ceil(n / 1024)} KB` : `${n} 字节`;
}

/* A card for award `a`; `canUpload` for the firm's own pages. */
export function materialsView(a, { canUpload = false } = {}) {
  const list = h('div.materials-list', notice('info', '正在加载…'));
  const box = h('section.card.materials', { 'aria-label': '申报材料' }, h('h3', '申报材料'), list);
  const refresh = async () => {
    try {
      const { materials } = await get(`/api/awards/${encodeURIComponent(a.id)}/materials`);
      // The reviewer checks the integrity value (SHA-256); the firm is shown no hash. A file's
      // name and the hash are shown verbatim (data-verbatim: not text of ours to translate).
      const head = ['文件', '类型', '大小', '上传时间', ...(canUpload ? [] : ['校验值（SHA-256）'])];
      mount(list, materials.length ? table('申报材料', head,
        materials.map((m) => [h('a', { href: `/api/materials/${m.id}`, download: m.name, dataset: { verbatim: '' } }, m.name),
          KIND[m.type] || m.type, size(m.size), when(m.at),
          ...(canUpload ? [] : [h('code.small', { dataset: { verbatim: '' } }, m.sha256)])]), { class: 'materials' })
        : h('p.muted', '尚未上传申报材料。'));
    } catch (e) {
      mount(list, notice('error', errorText(e)));
    }
  };
  refresh();
  if (canUpload && OPEN.includes(a.state)) box.append(uploadForm(a, refresh));
  return box;
}

function uploadForm(a, done) {
  const file = h('input', { type: 'file', name: 'material', accept: '.pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg', multiple: true });
  const bar = h('progress', { max: 100, value: 0, hidden: true });
  const status = h('div', { 'aria-live': 'polite' });
  const btn = h('button.secondary', { type: 'submit' }, '上传材料');
  const form = h('form.sub-form.material-form', { novalidate: true },
    field('选择文件', file, '可上传 PDF、PNG 或 JPEG，每个文件不超过 10 MB，每项奖补最多 20 份；审核前可随时补充。'), bar, btn, status);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!file.files.length) return mount(status, notice('error', '请选择要上传的文件'));
    btn.disabled = true;
    bar.hidden = false;
    const failed = [];
    for (const f of file.files) {
      bar.value = 0;
      try {
        await upload(`/api/awards/${encodeURIComponent(a.id)}/materials`, f, (x) => { bar.value = Math.round(x * 100); });
      } catch (e) {
        failed.push(`${f.name}：${errorText(e)}`);
      }
    }
    btn.disabled = false;
    bar.hidden = true;
    file.value = '';
    mount(status, failed.length ? [notice('error', '部分文件未上传：'), h('ul', failed.map((x) => h('li', x)))] : notice('ok', '材料已上传。'));
    await done();
  });
  return form;
}
