import type { SelectionFacts } from '../model/index.js';
import { decodeSelectionRow, findTypeRow, type AwsInstanceTypesFile, type AwsSelectionFile } from './aws-catalog-format.js';

/**
 * The embedded catalog's selection facts (`./aws/selection.json`, written by `scripts/generate-aws-catalog.ts` from
 * moto's `DescribeInstanceTypes` data and validated there): what attribute-based instance type selection reads of
 * each type. A file of its own, imported on first use only, so a check without instance requirements never loads it.
 */

/** One type's selection facts by `InstanceType` name; `undefined` when the catalog lacks the type. */
export type SelectionLookup = (name: string) => SelectionFacts | undefined;

let lookup: Promise<SelectionLookup> | undefined;

/** Loads `selection.json` (and the type rows it is aligned with) on first call; the same lookup afterwards. */
export function loadAwsSelectionFacts(): Promise<SelectionLookup> {
  lookup ??= Promise.all([
    import('./aws/instance-types.json', { with: { type: 'json' } }),
    import('./aws/selection.json', { with: { type: 'json' } }),
  ]).then(([typesModule, selectionModule]) => {
    const rows = (typesModule.default as AwsInstanceTypesFile).types;
    const file = selectionModule.default as AwsSelectionFile;
    for (const list of file.accelerators) Object.freeze(list);
    const decoded: (SelectionFacts | undefined)[] = [];
    return (name: string) => {
      const index = findTypeRow(rows, name);
      return index < 0 ? undefined : (decoded[index] ??= decodeSelectionRow(file.profiles[file.types[index]!]!, file));
    };
  });
  return lookup;
}
