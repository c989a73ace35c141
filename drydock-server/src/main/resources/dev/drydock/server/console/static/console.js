// The console's live parts. Pages work without this script; with it, a lease's state follows the
// server's long-poll and history tables follow its Server-Sent Events. Everything the server sends
// is either its own escaped HTML (the state fragment) or JSON put into the page as text, never as HTML.
"use strict";

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

// <div data-watch="/ui/leases/ID/state" data-status="PENDING">: replaced by the state fragment each
// time the lease's status changes, until it is destroyed.
async function watchLease(panel) {
  let seen = panel.dataset.status;
  while (seen !== "DESTROYED") {
    try {
      const answer = await fetch(panel.dataset.watch + "?seen=" + encodeURIComponent(seen),
          {credentials: "same-origin", headers: {"X-Drydock-Console": "fetch"}});
      if (!answer.ok) {
        await sleep(5000); // signed out, or the server restarts: try again calmly
        continue;
      }
      panel.innerHTML = await answer.text();
      seen = answer.headers.get("X-Lease-Status") || seen;
      panel.dataset.status = seen;
    } catch (e) {
      await sleep(5000);
    }
  }
}

function cell(row, text, href) {
  const td = row.insertCell();
  if (text === null || text === undefined) {
    return;
  }
  if (href) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = String(text);
    td.appendChild(a);
  } else {
    td.textContent = String(text);
  }
  return td;
}

// <table class="log" data-follow="/ui/logs/follow?…&after=ID">: new entries are added as they are
// written. EventSource reconnects by itself, resuming after the last entry it got.
function followLog(table) {
  const body = table.tBodies[0];
  const events = new EventSource(table.dataset.follow);
  events.addEventListener("log", event => {
    const e = JSON.parse(event.data);
    const row = body.insertRow();
    row.className = "fresh";
    cell(row, e.id);
    cell(row, e.at.replace("T", " ").replace(/\.\d+Z$/, "Z").replace(/Z$/, " UTC"));
    cell(row, e.lease, e.lease ? "/ui/leases/" + e.lease : null);
    cell(row, e.resource, e.resource ? "/ui/resources/" + e.resource : null);
    cell(row, e.message).className = "message";
  });
}

document.querySelectorAll("[data-watch]").forEach(watchLease);
document.querySelectorAll("table[data-follow]").forEach(table => {
  if (table.dataset.follow) {
    followLog(table);
  }
});
