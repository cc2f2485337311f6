// Expand and collapse nodes of the hierarchy tree (templates/cells/tree_node.html).
// htmx loads a node's children on its first click (hx-trigger="click once"); this script only
// shows or hides the list, so later clicks cost no request.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-tree-toggle]");
  if (!button) {
    return;
  }
  const list = document.getElementById(button.getAttribute("aria-controls"));
  if (!list) {
    return;
  }
  const expanded = button.getAttribute("aria-expanded") === "true";
  list.hidden = expanded;
  button.setAttribute("aria-expanded", String(!expanded));
  const icon = button.querySelector(".bi");
  if (icon) {
    icon.classList.toggle("bi-chevron-right", expanded);
    icon.classList.toggle("bi-chevron-down", !expanded);
  }
});
