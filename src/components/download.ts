/** A file to hand to the browser: what journalDownload and the report exports produce. */
export interface DownloadFile {
  fileName: string;
  type: string;
  content: string;
}

/** Saves a file through the browser's download, without a server round trip. */
export function download({ fileName, type, content }: DownloadFile) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  // Revoke after the click has been handled, or some browsers cancel the download.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
