import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/content/catalogue.js';
import { catalogueItemInChat, previewOnChannel } from '../../../src/content/channel-preview.js';
import { startConsoleApp, type ConsoleApp } from '../helpers/console-app.js';

// The content pages: the catalogue as the chat shows it, items flagged for review first with their note, and one item
// as Zalo and Messenger render it. Read-only: bad filters get a Vietnamese message, unknown items the 404 page.

let c: ConsoleApp;
beforeAll(async () => {
  c = await startConsoleApp();
});
afterAll(async () => {
  await c?.close();
});

const catalogue = loadCatalogue();
const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

describe('the catalogue page', () => {
  it('lists every item by topic, with the items to review first and their notes', async () => {
    const b = await c.signedIn('teacher');
    const a = await b.get('/admin/content');
    expect(a.status).toBe(200);
    for (const item of catalogue.items()) expect(a.text, item.id).toContain(escape(item.title));
    const flagged = catalogue.items().filter((i) => i.needsReview);
    expect(flagged.length).toBeGreaterThan(0);
    expect(a.text).toContain(`Cần nhà trường kiểm tra lại (`);
    const review = a.text.slice(a.text.indexOf('id="needs-review"'), a.text.indexOf('Tất cả tin bài'));
    for (const item of flagged) {
      expect(review).toContain(escape(item.title));
      expect(review).toContain(escape(item.reviewNote!));
    }
    expect(review).toContain('class="review-note"');
  });

  it('filters by topic, audience and review state', async () => {
    const b = await c.signedIn('school_admin');
    const drugs = await b.get('/admin/content?topic=drugs');
    expect(drugs.status).toBe(200);
    const drugItems = catalogue.forTopic('drugs');
    const other = catalogue.items().find((i) => i.topic !== 'drugs' && !i.needsReview)!;
    for (const i of drugItems) expect(drugs.text).toContain(escape(i.title));
    expect(drugs.text).not.toContain(`>${escape(other.title)}</a>`);
    const onlyReview = await b.get('/admin/content?review=1');
    const calm = catalogue.items().find((i) => !i.needsReview)!;
    const table = onlyReview.text.slice(onlyReview.text.indexOf('Tất cả tin bài'));
    expect(table).not.toContain(`>${escape(calm.title)}</a>`);
  });

  it.each([['topic=khong-co'], ['audience=teacher'], ['topic=drugs&topic=vneid'], [`topic=${'x'.repeat(3000)}`]])('answers the filter %s with a Vietnamese message, not an error', async (q) => {
    const b = await c.signedIn('admin');
    const a = await b.get(`/admin/content?${q}`);
    expect(a.status).toBe(400);
    expect(a.text).toMatch(/Chủ đề không có trong danh sách\.|Đối tượng không có trong danh sách\./);
  });

  it('is not for tip handlers', async () => {
    const b = await c.signedIn('tip_handler');
    expect((await b.get('/admin/content')).status).toBe(403);
  });
});

describe('an item page', () => {
  it('shows the item with its source and previews it on Zalo and Messenger with the chat’s buttons', async () => {
    const item = catalogue.items().find((i) => i.audience.includes('parent') && i.audience.includes('student'))!;
    const b = await c.signedIn('teacher');
    const a = await b.get(`/admin/content/${item.id}?audience=student`);
    expect(a.status).toBe(200);
    expect(a.text).toContain(escape(item.source));
    expect(a.text).toContain('Zalo (trò chuyện với trang Zalo của chương trình)');
    expect(a.text).toContain('<h3 id="preview-messenger">Messenger</h3>');
    // The text as the chat sends it: the title in capitals, the body, "Nguồn: …", then the navigation.
    expect(a.text).toContain(escape(item.title.toUpperCase()));
    expect(a.text).toContain(`Nguồn: ${escape(item.source)}`);
    expect(a.text).toContain('Chủ đề khác');
    expect(a.text).toContain('<strong>Học sinh</strong>');
  });

  it('puts the review note of a flagged item at the top and the review line in the previews', async () => {
    const item = catalogue.items().find((i) => i.needsReview)!;
    const b = await c.signedIn('admin');
    const a = await b.get(`/admin/content/${item.id}`);
    expect(a.status).toBe(200);
    const main = a.text.slice(a.text.indexOf('<main'));
    expect(main.indexOf('class="review-note"')).toBeLessThan(main.indexOf('class="facts"'));
    expect(main).toContain(escape(item.reviewNote!));
    expect(main).toContain('(Nội dung đang chờ nhà trường kiểm tra lại.)');
  });

  it('shows one bubble per platform message of each channel (a Zalo list holds 5 buttons, Messenger 3 or 13 chips)', async () => {
    const item = catalogue.items()[0]!;
    const audience = item.audience[0]!;
    const inChat = catalogueItemInChat(catalogue, item, audience)!;
    const b = await c.signedIn('admin');
    const a = await b.get(`/admin/content/${item.id}?audience=${audience}`);
    const section = (id: string) => a.text.slice(a.text.indexOf(`id="${id}"`)).split('</section>')[0]!;
    for (const [id, channel] of [['preview-zalo', 'zalo'], ['preview-messenger', 'messenger']] as const) {
      const bubbles = previewOnChannel(inChat.messages, channel);
      expect(section(id).match(/class="bubble-meta"/g)?.length, channel).toBe(bubbles.length);
      expect(section(id)).toContain(`${bubbles.length} tin nhắn`);
    }
  });

  it('answers 404 for an item that does not exist, and ignores an audience the item is not for', async () => {
    const b = await c.signedIn('admin');
    expect((await b.get('/admin/content/khong-co-tin-nay')).status).toBe(404);
    expect((await b.get('/admin/content/..%2F..%2Fpackage.json')).status).toBe(404);
    const onlyParents = catalogue.items().find((i) => !i.audience.includes('student'));
    if (onlyParents) {
      const a = await b.get(`/admin/content/${onlyParents.id}?audience=student`);
      expect(a.status).toBe(200);
      expect(a.text).toContain('Phụ huynh đọc tin này ở vị trí');
    }
    expect((await b.get(`/admin/content/${catalogue.items()[0]!.id}?audience[]=x`)).status).toBe(200);
  });
});
