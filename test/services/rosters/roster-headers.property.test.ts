import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { headerKind, matchHeaderRow } from '../../../src/services/rosters/roster-headers.js';
import { checkRosterName } from '../../../src/services/rosters/roster-name.js';

const FULL = ['Họ và tên', 'Họ tên', 'Họ và tên học sinh', 'Họ tên HS', 'Tên học sinh', 'Họ và tên trẻ', 'Học sinh'];
const FAMILY = ['Họ', 'Họ đệm', 'Họ và đệm', 'Họ lót', 'Họ và tên đệm', 'Họ tên lót'];
const OTHER = ['STT', 'Ngày sinh', 'Giới tính', 'Mã học sinh', 'Ghi chú', 'Lớp', 'Dân tộc', 'Họ tên cha', 'Tên trường', 'Số điện thoại'];

/** The ways a header cell comes out of real spreadsheets: case, decomposed or stripped diacritics, spacing, marks. */
const written = (header: string) =>
  fc
    .record({
      caseOf: fc.constantFrom('same', 'upper', 'lower'),
      form: fc.constantFrom('NFC', 'NFD', 'plain'),
      pad: fc.constantFrom('', ' ', '  ', '\n'),
      gap: fc.constantFrom(' ', '  ', '\n', ' \t'),
      mark: fc.constantFrom('', ' (*)', ':', ' *'),
    })
    .map(({ caseOf, form, pad, gap, mark }) => {
      let s = caseOf === 'upper' ? header.toLocaleUpperCase('vi') : caseOf === 'lower' ? header.toLocaleLowerCase('vi') : header;
      s = form === 'plain' ? s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D') : s.normalize(form);
      return `${pad}${s.split(' ').join(gap)}${mark}${pad}`;
    });

describe('the roster header matcher', () => {
  it('recognises every way of writing a full-name header', () => {
    fc.assert(fc.property(fc.constantFrom(...FULL).chain(written), (cell) => headerKind(cell) === 'full'));
  });

  it('recognises family-name headers and never takes them for the full name', () => {
    fc.assert(fc.property(fc.constantFrom(...FAMILY).chain(written), (cell) => headerKind(cell) === 'family'));
  });

  it('never takes another column (a parent’s name, the school’s, a date) for the pupil’s name', () => {
    fc.assert(fc.property(fc.constantFrom(...OTHER).chain(written), (cell) => headerKind(cell) === 'other'));
  });

  it('finds the name column wherever it is among other columns, and a split name in two', () => {
    fc.assert(
      fc.property(fc.shuffledSubarray(OTHER, { minLength: 0, maxLength: 5 }), fc.constantFrom(...FULL), fc.nat(5), (others, full, at) => {
        const cells = [...others];
        const index = Math.min(at, cells.length);
        cells.splice(index, 0, full);
        const m = matchHeaderRow(cells);
        return m !== null && m.columns.kind === 'full' && m.columns.index === index && m.ignored.length === others.length;
      }),
    );
    expect(matchHeaderRow(['STT', 'Họ đệm', 'Tên', 'Ngày sinh'])?.columns).toEqual({ kind: 'split', family: 1, given: 2, headers: ['Họ đệm', 'Tên'] });
    expect(matchHeaderRow(['STT', 'Tên', 'Ngày sinh'])?.columns).toEqual({ kind: 'full', index: 1, header: 'Tên' });
    expect(matchHeaderRow(['STT', 'Ngày sinh'])).toBeNull();
  });
});

const letters = fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ');
const word = fc.array(letters, { minLength: 1, maxLength: 7 }).map((cs) => cs.join(''));
const vnName = fc.array(word, { minLength: 2, maxLength: 5 }).map((ws) => ws.join(' ')).filter((n) => n.length <= 60);

describe('the roster name normaliser', () => {
  it('gives one stored name and key whatever the case, spacing or Unicode form of the file', () => {
    fc.assert(
      fc.property(vnName, fc.constantFrom('NFC', 'NFD'), fc.boolean(), fc.constantFrom(' ', '  ', '\u00a0'), (name, form, upper, gap) => {
        const base = checkRosterName(name);
        const variant = checkRosterName(` ${(upper ? name.toLocaleUpperCase('vi') : name).normalize(form).split(' ').join(gap)} `);
        return base.ok && variant.ok && variant.name === base.name && variant.key === base.key && base.name === base.name.normalize('NFC');
      }),
    );
  });

  it('is idempotent: a stored name checks to itself', () => {
    fc.assert(fc.property(vnName, (name) => {
      const once = checkRosterName(name);
      const twice = once.ok ? checkRosterName(once.name) : once;
      return once.ok && twice.ok && twice.name === once.name;
    }));
  });

  it('explains each refusal in Vietnamese', () => {
    expect(checkRosterName('  ')).toEqual({ ok: false, message: 'Thiếu họ tên học sinh.' });
    expect(checkRosterName('a'.repeat(61))).toEqual({ ok: false, message: 'Họ tên dài quá 60 ký tự.' });
    expect(checkRosterName('Nguyễn Văn 2')).toMatchObject({ ok: false, message: expect.stringContaining('Họ tên có chữ số') });
    expect(checkRosterName('<b>An</b>')).toEqual({ ok: false, message: 'Họ tên có ký tự không phải chữ cái (“<”).' });
    expect(checkRosterName('An\u200bNa')).toMatchObject({ ok: false, message: expect.stringContaining('ký tự ẩn') });
    expect(checkRosterName('A')).toEqual({ ok: false, message: 'Họ tên quá ngắn.' });
    expect(checkRosterName('PHẠM  THỊ THUỶ')).toEqual({ ok: true, name: 'Phạm Thị Thuỷ', key: 'phạm thị thuỷ' });
  });
});
