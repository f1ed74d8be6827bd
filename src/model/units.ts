/** Bytes per GiB. Nova compares `min_disk` and flavor disks in bytes (`* 1024**3`) and prints bytes. */
export const BYTES_PER_GIB = 1024 ** 3;
