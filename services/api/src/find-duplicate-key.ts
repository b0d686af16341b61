/**
 * The first name that appears twice in one object of a JSON text, or undefined. JSON.parse
 * silently keeps the last of two equal names where other parsers keep the first, so a body with
 * one could be read as two different messages along its way; the API refuses it instead.
 *
 * Iterative, so that nesting is bounded only by the body size. Made for text that JSON.parse then
 * reads: on text that is not JSON it returns a guess, and JSON.parse reports the real problem.
 */
export function findDuplicateKey(json: string): string | undefined {
  // One entry per open object (the names seen in it) or array (null).
  const open: Array<Set<string> | null> = [];
  let nameNext = false;
  for (let i = 0; i < json.length; i++) {
    const char = json[i];
    if (char === '"') {
      let end = i + 1;
      while (end < json.length && json[end] !== '"') end += json[end] === '\\' ? 2 : 1;
      const names = open.at(-1);
      if (nameNext && names) {
        const name = decodeString(json.slice(i, end + 1));
        if (names.has(name)) return name;
        names.add(name);
      }
      nameNext = false;
      i = end;
    } else if (char === '{') {
      open.push(new Set());
      nameNext = true;
    } else if (char === '[') {
      open.push(null);
      nameNext = false;
    } else if (char === '}' || char === ']') {
      open.pop();
      nameNext = false;
    } else if (char === ',') {
      nameNext = open.at(-1) instanceof Set;
    } else if (char === ':') {
      nameNext = false;
    }
  }
  return undefined;
}

// Names are compared as JSON.parse reads them: "t\u0065xt" is "text".
function decodeString(token: string): string {
  try {
    return JSON.parse(token) as string;
  } catch {
    return token;
  }
}
