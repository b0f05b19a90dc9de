declare module 'graphql-depth-limit' {
  import type { ValidationContext } from 'graphql';
  type Options = { ignore?: Array<string | RegExp | ((name: string) => boolean)> };
  export default function depthLimit(
    maxDepth: number,
    options?: Options,
    callback?: (depths: Record<string, number>) => void,
  ): (context: ValidationContext) => unknown;
}
