// SESIOR web client: register over REST, then a live user list and renames over Socket.IO.
import { io } from "./socketio-client.js";

const $ = (id) => document.getElementById(id);
const view = {
  state: $("connection-state"), error: $("error"), loading: $("loading"),
  register: $("register-view"), registerForm: $("register-form"), nameInput: $("user-name-input"),
  session: $("session-view"), currentUser: $("current-user"),
  renameForm: $("rename-form"), renameFields: $("rename-fields"), renameInput: $("rename-input"), logout: $("logout"),
  usersView: $("users-view"), users: $("users"), usersCount: $("users-count"),
};

/** The API base URL: `?api=` on the page URL, else the `sesior-api-base` meta tag, else this origin. */
function apiBase() {
  const fromQuery = new URLSearchParams(location.search).get("api");
  const fromMeta = document.querySelector('meta[name="sesior-api-base"]')?.content;
  const base = (fromQuery || fromMeta || "").trim();
  if (!base) return "";
  const url = new URL(base, location.href);
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new Error(`Unsupported API URL ${base}`);
  return url.origin;
}

let api = "";
let configError = "";
try { api = apiBase(); } catch (e) { configError = e.message; }
const users = new Map(); // userName -> user
let currentUser = null;
let socket = null;

// ---- Rendering -------------------------------------------------------------------------------

function showError(message) {
  view.error.textContent = message;
  view.error.hidden = !message;
}

function setState(state, detail = "") {
  const labels = {
    offline: "Not connected", connecting: "Connecting…", connected: "Connected",
    disconnected: "Disconnected", refused: "Refused",
  };
  view.state.dataset.state = state;
  view.state.textContent = detail ? `${labels[state]}: ${detail}` : labels[state];
  view.users.classList.toggle("stale", state !== "connected");
  view.renameFields.disabled = state !== "connected"; // renames travel over the socket
}

function showRegister() {
  currentUser = null;
  users.clear();
  renderUsers();
  view.loading.hidden = true;
  view.session.hidden = true;
  view.usersView.hidden = true;
  view.register.hidden = false;
  view.nameInput.focus();
}

function showSignedIn(user) {
  currentUser = user.userName;
  view.currentUser.textContent = currentUser;
  view.loading.hidden = true;
  view.register.hidden = true;
  view.session.hidden = false;
  view.usersView.hidden = false;
  renderUsers();
}

function renderUsers() {
  const names = [...users.keys()].sort((a, b) => a.localeCompare(b));
  view.users.replaceChildren(...names.map((name) => {
    const item = document.createElement("li");
    item.dataset.user = name;
    item.textContent = name;
    if (name === currentUser) item.classList.add("me");
    return item;
  }));
  view.usersCount.textContent = `(${names.length})`;
}

/** A readable message from a server error value: a string, `{message}`, `{error}` or anything else. */
function errorText(err) {
  if (typeof err === "string") return err;
  if (err && typeof err === "object") return err.message || err.error || err.reason || JSON.stringify(err);
  return String(err);
}

// ---- REST ------------------------------------------------------------------------------------

/** Calls the API; resolves to `{ok, status, data}`; rejects only when the server cannot be reached. */
async function request(path, body) {
  const init = { method: body === undefined ? "GET" : "POST", credentials: "include", cache: "no-store" };
  if (body !== undefined) {
    init.headers = { "Content-Type": "application/json" };
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(api + path, init);
  } catch {
    const crossOrigin = api && api !== location.origin;
    throw new Error(crossOrigin
      ? `Cannot reach the server at ${api} (is ${location.origin} in its CORS allow-list?).`
      : "Cannot reach the server.");
  }
  let data = null;
  try { data = await response.json(); } catch { /* not JSON */ }
  return { ok: response.ok, status: response.status, data };
}

async function verifySession() {
  const { data } = await request("/verify-session");
  return data?.sessionVerified ? data.user : null;
}

// ---- Socket ----------------------------------------------------------------------------------

function upsertUser(user) {
  if (user?.userName) users.set(user.userName, user);
}

function connectSocket() {
  setState("connecting");
  if (socket) { socket.connect(); return; }
  socket = io(api, { reconnectionDelay: 500, reconnectionDelayMax: 5000, ackTimeout: 10000 });
  socket.on("connect", () => {
    setState("connected");
    socket.emit("user:connected", currentUser, (err, usersMap) => {
      if (err) return showError(`Could not join: ${errorText(err)}`);
      users.clear();
      for (const [key, value] of Object.entries(usersMap ?? {})) {
        upsertUser(typeof value === "object" && value ? { userName: key, ...value } : { userName: key });
      }
      renderUsers();
    });
  });
  socket.on("disconnect", (reason) => {
    setState("disconnected", reason === "io server disconnect" ? "closed by the server" : "reconnecting…");
    if (reason === "io server disconnect") recheckSession();
  });
  socket.on("reconnect_attempt", () => setState("connecting"));
  socket.on("connect_error", (err) => {
    if (err.refused) {
      setState("refused", err.message);
      recheckSession();
    } else {
      setState("disconnected", "server unreachable, retrying…");
    }
  });
  socket.on("user:joined", (user) => { upsertUser(user); renderUsers(); });
  socket.on("user:renamed", ({ oldUserName, user } = {}) => {
    users.delete(oldUserName);
    upsertUser(user);
    if (oldUserName === currentUser && user?.userName) showSignedIn(user); // another tab of this session
    renderUsers();
  });
  socket.on("user:left", (userName) => {
    users.delete(typeof userName === "object" ? userName?.userName : userName);
    renderUsers();
  });
}

function closeSocket() {
  socket?.disconnect();
  socket?.off();
  socket = null;
}

/** After a refusal or a server-side disconnect: back to the register form if the session ended. */
async function recheckSession() {
  try {
    if (!(await verifySession())) {
      closeSocket();
      setState("offline");
      showRegister();
      showError("Your session has ended. Please register again.");
    }
  } catch { /* the server is unreachable: the state indicator already says so */ }
}

// ---- Actions ---------------------------------------------------------------------------------

async function withBusy(form, action) {
  const button = form.querySelector("button");
  button.disabled = true;
  try { await action(); } catch (e) { showError(e.message); } finally { button.disabled = false; }
}

view.registerForm.addEventListener("submit", (event) => {
  event.preventDefault();
  withBusy(view.registerForm, async () => {
    showError("");
    const { ok, status, data } = await request("/register", { userName: view.nameInput.value });
    if (ok && data?.membershipResolved) {
      view.nameInput.value = "";
      showSignedIn(data.user);
      connectSocket();
    } else {
      showError(`Registration failed: ${errorText(data?.error ?? `HTTP ${status}`)}`);
    }
  });
});

view.renameForm.addEventListener("submit", (event) => {
  event.preventDefault();
  withBusy(view.renameForm, async () => {
    showError("");
    if (!socket?.connected) throw new Error("Not connected: cannot rename now.");
    let reply;
    try {
      reply = await socket.emitWithAck("user:rename", view.renameInput.value);
    } catch {
      throw new Error("Rename failed: the server did not answer in time.");
    }
    const [err, data] = reply;
    if (err) throw new Error(`Rename failed: ${errorText(err)}`);
    users.delete(data?.oldUserName ?? currentUser);
    upsertUser(data?.user);
    showSignedIn(data.user);
    view.renameInput.value = "";
  });
});

view.logout.addEventListener("click", async () => {
  view.logout.disabled = true;
  try {
    showError("");
    closeSocket();
    const { ok, status, data } = await request("/logout", {});
    if (!ok) showError(`Logout failed: ${errorText(data?.error ?? `HTTP ${status}`)}`);
    setState("offline");
    showRegister();
  } catch (e) {
    showError(e.message);
  } finally {
    view.logout.disabled = false;
  }
});

async function start() {
  setState("offline");
  if (configError) { view.loading.hidden = true; return showError(configError); }
  try {
    const user = await verifySession();
    showError("");
    if (user) {
      showSignedIn(user);
      connectSocket();
    } else {
      showRegister();
    }
  } catch (e) {
    view.loading.hidden = true;
    showError(`${e.message} Retrying…`);
    setTimeout(start, 3000);
  }
}

start();
