// People pages: a form answered with 400/422 carries its errors next to the fields,
// so htmx should swap it in (by default htmx 2 leaves error responses unswapped).
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if (status === 400 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
