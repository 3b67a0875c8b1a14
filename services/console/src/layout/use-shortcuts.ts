import { useHotkeys } from '@mantine/hooks';

/** A key (Mantine's notation: `j`, `shift+?`, `Enter`) and what it does; `false` lets it be. */
export type Shortcut = [key: string, run: (event: KeyboardEvent) => void | false];

/** An element that acts on Enter of its own: the shortcut leaves it its key. */
export const acts = (target: EventTarget | null): boolean =>
  target instanceof Element &&
  target.closest('a[href], button, [role=button], [role=link], [role=tab], [role=option]') !== null;

/**
 * Page shortcuts, outside text fields (Mantine's rule: not in an input, a text area, a select
 * or editable content) and not while a modal dialog is open, whose keys are its own. The
 * browser's default is prevented only for a shortcut that acted.
 */
export function useShortcuts(shortcuts: Shortcut[]): void {
  useHotkeys(
    shortcuts.map(([key, run]) => [
      key,
      (event: KeyboardEvent) => {
        if (event.defaultPrevented || document.querySelector('[aria-modal="true"]')) return;
        if (run(event) !== false) event.preventDefault();
      },
      { preventDefault: false },
    ]),
  );
}
