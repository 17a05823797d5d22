import { describe, expect, it } from 'vitest';
import { agrees, confirm, undoQuestion } from './prompt.ts';

const asking = (answer: string, interactive = true) => {
  const questions: string[] = [];
  return {
    questions,
    io: {
      interactive,
      ask: async (question: string) => {
        questions.push(question);
        return answer;
      },
    },
  };
};

describe('confirming an undo', () => {
  it('asks with the count, run and realm, no being the default', () => {
    expect(undoQuestion(3, 'run-1', 'shop')).toBe('Undo 3 writes of run run-1 in realm shop? [y/N] ');
    expect(undoQuestion(1, 'run-1', 'shop')).toBe('Undo 1 write of run run-1 in realm shop? [y/N] ');
  });

  it.each([
    ['y', true],
    ['YES', true],
    [' yes\n', true],
    ['', false],
    ['n', false],
    ['yep', false],
  ])('takes %j as %s', (answer, expected) => {
    expect(agrees(answer)).toBe(expected);
  });

  it('asks the person at the terminal', async () => {
    const no = asking('n');
    expect(await confirm(no.io, 'Undo?', false)).toBe(false);
    expect(no.questions).toEqual(['Undo?']);
    expect(await confirm(asking('y').io, 'Undo?', false)).toBe(true);
  });

  it('does not ask with --yes, nor when stdin is not a terminal', async () => {
    const withYes = asking('n');
    expect(await confirm(withYes.io, 'Undo?', true)).toBe(true);
    const piped = asking('n', false);
    expect(await confirm(piped.io, 'Undo?', false)).toBe(true);
    expect([...withYes.questions, ...piped.questions]).toEqual([]);
  });
});
