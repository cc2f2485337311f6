// A form with data-confirm asks its question first and is posted only on OK (templates/core/_action_form.html).
document.addEventListener("submit", (event) => {
  const form = event.target.closest("form[data-confirm]");
  if (form && !window.confirm(form.dataset.confirm)) {
    event.preventDefault();
  }
});
