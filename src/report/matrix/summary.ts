import type { MatrixFilters, MatrixType, RuleCount } from '../../engine/matrix.js';
import type { CatalogSource, ImageFacts } from '../../model/index.js';
import type { ImageMatrixReport, TypeMatrixReport } from './index.js';

/** The sentences the human-readable matrix formats (text, markdown) share, in plain text. */

let numbers: Intl.NumberFormat | undefined;

/** `1354` -> `1,354`. */
export function formatCount(count: number): string {
  numbers ??= new Intl.NumberFormat('en-US');
  return numbers.format(count);
}

/** `0.5`, `3.75`, `16`: GiB with at most three decimals. */
export function formatGiB(gib: number): string {
  return String(Number(gib.toFixed(3)));
}

/** What kind of image it is, in a few words: `paravirtual x86_64 AMI`, `PV image`. */
function imageKind(image: ImageFacts): string {
  if (image.provider === 'aws') {
    const virtualization = image.virtualizationType === 'hvm' ? 'HVM' : 'paravirtual';
    return `${virtualization} ${image.architecture} AMI`;
  }
  const modes: Record<string, string> = { xen: 'PV', hvm: 'HVM', metal: 'OnMetal' };
  const mode = image.vmMode === undefined ? undefined : (modes[image.vmMode] ?? `vm_mode ${image.vmMode}`);
  return mode ? `${mode} image` : 'image';
}

/** `ami-0e97... (amzn-ami-pv-...)`, or the ID alone for unnamed images. */
function imageName(image: ImageFacts): string {
  return image.name ? `${image.id} (${image.name})` : image.id;
}

/** `c5.large (2 vCPUs, 4 GiB)`. */
function typeLabel(type: MatrixType): string {
  return `${type.ref} (${type.vcpus} vCPU${type.vcpus === 1 ? '' : 's'}, ${formatGiB(type.memoryGiB)} GiB)`;
}

/** `virtualization-type 1,354, ena-support 1,299`. */
function ruleCounts(counts: readonly RuleCount[]): string {
  return counts.map(({ ruleId, count }) => `${ruleId} ${formatCount(count)}`).join(', ');
}

/** The filters as the flags that set them: `--family m5 --min-vcpus 4`; empty when unfiltered. */
function filterFlags(filters: MatrixFilters): string {
  return [
    ...(filters.families ?? []).map((family) => `--family ${family}`),
    ...(filters.currentGeneration ? ['--current-generation'] : []),
    ...(filters.minVcpus !== undefined ? [`--min-vcpus ${filters.minVcpus}`] : []),
    ...(filters.minMemoryGiB !== undefined ? [`--min-memory ${filters.minMemoryGiB}`] : []),
  ].join(' ');
}

/** More families than this are summarised as "N families: a, b, ..., …". */
const FAMILIES_IN_SUMMARY = 12;

/**
 * `paravirtual x86_64 AMI ami-... (name) in us-east-1: 19 types can run it, in c1, c3, m1, m2, m3, t1; 1,354 cannot:
 * virtualization-type 1,354, ena-support 1,299, ...`
 */
export function imageSummary(report: ImageMatrixReport): string {
  const { matrix } = report;
  const noun = report.provider === 'aws' ? 'type' : 'flavor';
  const plural = (count: number) => `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
  const filters = filterFlags(report.filters);
  const where = `in ${matrix.region}${filters ? ` (${filters})` : ''}`;
  const head = `${imageKind(matrix.image)} ${imageName(matrix.image)} ${where}`;
  if (matrix.types.length === 0) return `${head}: no ${noun} matches the filters`;
  const blocked = matrix.types.length - matrix.compatible;
  const families = matrix.compatibleFamilies;
  const listed =
    families.length <= FAMILIES_IN_SUMMARY
      ? families.join(', ')
      : `${families.length} families: ${families.slice(0, FAMILIES_IN_SUMMARY - 2).join(', ')}, …`;
  const can =
    matrix.compatible === 0
      ? `no ${noun} can run it`
      : `${plural(matrix.compatible)} can run it, in ${listed}`;
  const cannot = blocked === 0 ? '0 cannot' : `${formatCount(blocked)} cannot: ${ruleCounts(matrix.blockedBy)}`;
  return `${head}: ${can}; ${cannot}`;
}

/** `t2.micro (1 vCPU, 1 GiB) in us-east-1: 1 of 3 images can run on it; 2 cannot: virtualization-type 1, ...` */
export function typeSummary(report: TypeMatrixReport): string {
  const { matrix } = report;
  const total = matrix.images.length;
  const blocked = total - matrix.compatible;
  const head = `${typeLabel(matrix.type)} in ${matrix.region}`;
  if (total === 0) return `${head}: no image to judge`;
  const can = `${formatCount(matrix.compatible)} of ${formatCount(total)} image${total === 1 ? '' : 's'} can run on it`;
  const cannot = blocked === 0 ? '0 cannot' : `${formatCount(blocked)} cannot: ${ruleCounts(matrix.blockedBy)}`;
  return `${head}: ${can}; ${cannot}`;
}

/** `imglint embedded catalog: moto ... @0af643a5, data as of 2026-08-02`. */
function catalogLine(catalog: CatalogSource): string {
  return `${catalog.description}${catalog.dataAsOf ? `, data as of ${catalog.dataAsOf}` : ''}`;
}

/** Where the facts came from, one line per source, for the end of a report. */
export function provenanceLines(report: ImageMatrixReport | TypeMatrixReport): string[] {
  const noun = report.provider === 'aws' ? 'instance types' : 'flavors';
  const lines = [`${noun}: ${catalogLine(report.catalog)}`];
  if (!report.offeringsKnown) {
    lines.push(`offerings: unknown for ${report.matrix.region}; ${noun} were not judged on availability in the region`);
  }
  lines.push(report.kind === 'image' ? `image: ${report.imageFrom}` : `images: ${report.imagesFrom.join('; ')}`);
  return lines;
}
