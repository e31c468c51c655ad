// Approvals for `keel exec`: asked on the terminal when there is one; else approved with --yes and
// declined without it (a script must never hang on a question nobody can answer).
import readline from 'node:readline';

export type Decision = 'accept' | 'acceptForSession' | 'decline' | 'cancel';

export interface Asker {
  /** Asks `question`; resolves with the decision. `say` writes a line for the person. */
  ask(question: string): Promise<Decision>;
}

export function terminalAsker(): Asker {
  return {
    ask: (question) =>
      new Promise((resolve) => {
        const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
        rl.question(`${question}\n  [y] yes  [a] yes, and for the rest of this thread  [n] no  [c] no, and stop the turn > `, (answer) => {
          rl.close();
          const key = answer.trim().toLowerCase()[0];
          resolve(key === 'y' ? 'accept' : key === 'a' ? 'acceptForSession' : key === 'c' ? 'cancel' : 'decline');
        });
      }),
  };
}

export function unattendedAsker(yes: boolean, say: (line: string) => void): Asker {
  return {
    ask: async (question) => {
      say(`${question}\n  → ${yes ? 'approved (--yes)' : 'declined: no terminal to ask on (--yes approves)'}`);
      return yes ? 'accept' : 'decline';
    },
  };
}
