import { describe, expect, it } from 'vitest';
import { isTypingTarget, shortcutFor } from './shortcuts';

function keydown(key, target, extra = {}) {
  return { key, target, defaultPrevented: false, ctrlKey: false, metaKey: false, altKey: false, ...extra };
}

describe('shortcut guard', () => {
  it('ignores keys typed into inputs, text areas, selects and editable content', () => {
    const editable = document.createElement('div');
    editable.setAttribute('contenteditable', 'true');
    for (const target of [
      document.createElement('input'),
      document.createElement('textarea'),
      document.createElement('select'),
      editable,
    ]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(shortcutFor(keydown('j', target))).toBeNull();
      expect(shortcutFor(keydown('/', target))).toBeNull();
    }
  });

  it('answers the queue keys anywhere else', () => {
    const card = document.createElement('article');
    for (const key of ['j', 'k', 'x', 'n', '/', '?', 'Enter']) {
      expect(shortcutFor(keydown(key, card))).toBe(key);
    }
    expect(shortcutFor(keydown('j', document.body))).toBe('j');
  });

  it('leaves browser shortcuts and other keys alone', () => {
    expect(shortcutFor(keydown('k', document.body, { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(keydown('n', document.body, { metaKey: true }))).toBeNull();
    expect(shortcutFor(keydown('a', document.body))).toBeNull();
    expect(shortcutFor(keydown('j', document.body, { defaultPrevented: true }))).toBeNull();
  });
});
