// Progressive enhancement: results update as you type. Without JavaScript the same form submits as a plain GET.
const form = document.querySelector('form[role="search"]');
const input = document.getElementById('q');
const results = document.getElementById('results');
if (form && input && results && 'fetch' in window) {
  let timer;
  let controller;
  const update = async () => {
    const params = new URLSearchParams(new FormData(form));
    for (const [key, value] of [...params]) if (value === '') params.delete(key);
    const url = `/?${params}`;
    controller?.abort();
    controller = new AbortController();
    try {
      const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/html' } });
      if (!response.ok) return;
      const doc = new DOMParser().parseFromString(await response.text(), 'text/html');
      const fresh = doc.getElementById('results');
      if (fresh) {
        results.innerHTML = fresh.innerHTML;
        history.replaceState(null, '', url);
      }
    } catch (error) {
      if (error.name !== 'AbortError') throw error;
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    if (input.value.trim().length === 0 || input.value.trim().length >= 2) timer = setTimeout(update, 200);
  });
}
