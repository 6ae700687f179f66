import { describe, expect, it } from 'vitest';
import { escapeMarkup } from '../../src/content/markup.js';

describe('escapeMarkup', () => {
  it('turns the five characters markup reads into entities, and leaves Vietnamese text alone', () => {
    expect(escapeMarkup(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &#39;y&#39;)&lt;/script&gt;');
    expect(escapeMarkup('Trường THCS Nguyễn Thị Thập')).toBe('Trường THCS Nguyễn Thị Thập');
  });
});
