import { coversAnyItem, type WindowScope } from './window-scope';

const scope = (fields: Partial<WindowScope>): WindowScope => ({
  ciIds: [],
  businessServiceIds: [],
  ciClasses: [],
  ...fields,
});

describe('whether a window covers a change on some items', () => {
  const classes = { vm: ['virtual_server', 'server'], db: 'database' };

  it('covers it by one of its items, by id or by class (ancestors included)', () => {
    expect(coversAnyItem(scope({ ciIds: ['db'] }), ['vm', 'db'], classes)).toBe(true);
    expect(coversAnyItem(scope({ ciClasses: ['server'] }), ['vm'], classes)).toBe(true);
    expect(coversAnyItem(scope({ ciClasses: ['server'] }), ['db'], classes)).toBe(false);
    expect(coversAnyItem(scope({ businessServiceIds: ['shop'] }), ['db', 'shop'], {})).toBe(true);
  });

  it('covers no item whose class is not known, and every change when it names nothing', () => {
    expect(coversAnyItem(scope({ ciClasses: ['server'] }), ['vm'], {})).toBe(false);
    expect(coversAnyItem(scope({ ciClasses: ['server'] }), [], classes)).toBe(false);
    expect(coversAnyItem(scope({}), [], {})).toBe(true);
  });
});
