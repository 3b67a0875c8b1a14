import { describe, expect, it } from '@jest/globals';
import { currentSelection, moveSelection, type QueueSelection } from './queue-selection';

const LIST = 'incidents?view=unassigned&q=printer';
const ids = ['a', 'b', 'c'];
const at = (id: string, index: number, list = LIST): QueueSelection => ({ list, id, index });

describe('the row picked in a queue from the keyboard', () => {
  it('starts on the first row, whichever way it moves first, or on the last with End', () => {
    expect(moveSelection(ids, LIST, undefined, 'next')).toEqual(at('a', 0));
    expect(moveSelection(ids, LIST, undefined, 'previous')).toEqual(at('a', 0));
    expect(moveSelection(ids, LIST, undefined, 'first')).toEqual(at('a', 0));
    expect(moveSelection(ids, LIST, undefined, 'last')).toEqual(at('c', 2));
  });

  it('moves one row at a time and is held at both ends', () => {
    expect(moveSelection(ids, LIST, at('a', 0), 'next')).toEqual(at('b', 1));
    expect(moveSelection(ids, LIST, at('b', 1), 'next')).toEqual(at('c', 2));
    expect(moveSelection(ids, LIST, at('c', 2), 'next')).toEqual(at('c', 2));
    expect(moveSelection(ids, LIST, at('b', 1), 'previous')).toEqual(at('a', 0));
    expect(moveSelection(ids, LIST, at('a', 0), 'previous')).toEqual(at('a', 0));
    expect(moveSelection(ids, LIST, at('b', 1), 'first')).toEqual(at('a', 0));
    expect(moveSelection(ids, LIST, at('a', 0), 'last')).toEqual(at('c', 2));
  });

  it('selects nothing in an empty list', () => {
    expect(moveSelection([], LIST, undefined, 'next')).toBeUndefined();
    expect(moveSelection([], LIST, at('a', 0), 'previous')).toBeUndefined();
    expect(currentSelection([], LIST, at('a', 0))).toBeUndefined();
  });

  it('keeps the record across a refresh that moves it, and moves on from where it is now', () => {
    const refreshed = ['x', 'c', 'a', 'b'];
    expect(currentSelection(refreshed, LIST, at('a', 0))).toEqual(at('a', 2));
    expect(moveSelection(refreshed, LIST, at('a', 0), 'next')).toEqual(at('b', 3));
    expect(moveSelection(refreshed, LIST, at('a', 0), 'previous')).toEqual(at('c', 1));
  });

  it('falls on the row now at its place when the record left the list, the last if it was past the end', () => {
    expect(currentSelection(['a', 'c'], LIST, at('b', 1))).toEqual(at('c', 1));
    expect(currentSelection(['a'], LIST, at('c', 2))).toEqual(at('a', 0));
    expect(moveSelection(['a', 'c', 'd'], LIST, at('b', 1), 'next')).toEqual(at('d', 2));
  });

  it('keeps the record in another list (other filters, sort or search) that holds it, else forgets it', () => {
    const other = 'incidents?view=all&q=printer';
    expect(currentSelection(['x', 'b'], other, at('b', 1))).toEqual(at('b', 1, other));
    expect(currentSelection(['x', 'y'], other, at('b', 1))).toBeUndefined();
    expect(moveSelection(['x', 'y'], other, at('b', 1), 'next')).toEqual(at('x', 0, other));
  });
});
