/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-scanner"

#include "config.h"

#include "tt-scanner.h"

/* A prefixed scan that stops short of its terminator is delivered after
 * this long without a key. */
#define PREFIX_TIMEOUT_MS 1000
/* Keys of a burst after this many no longer reach the focused widget:
 * four keys each within 40 ms of the last are faster than anyone types.
 * The first ones are taken back out of the text field afterwards. */
#define SWALLOW_AFTER 4
/* A swallowed burst that never ends in Enter or Tab was fast typing
 * after all: its text is given back to the text field after this pause. */
#define GIVE_BACK_PAUSE_MS 300

struct _TtScanner
{
  GObject             parent_instance;

  GtkWidget          *widget;        /* weak */
  GtkEventController *controller;

  guint               max_gap_ms;
  guint               min_length;
  char               *prefix;
  char               *suffix;
  guint               prefix_keyval;
  guint               suffix_keyval;

  /* The burst being read. */
  GString            *burst;
  guint               burst_chars;
  guint32             last_time;
  gboolean            in_burst;
  gboolean            prefixed;      /* began with the prefix key */
  gboolean            swallowing;    /* keys no longer reach the focus */
  GString            *swallowed;     /* what the focus did not get */
  GtkEditable        *editable;      /* weak: text field focused when it began */
  char               *saved_text;    /* its text then */
  int                 saved_pos;
  guint               timeout_id;
};

G_DEFINE_FINAL_TYPE (TtScanner, tt_scanner, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MAX_GAP_MS,
  PROP_MIN_LENGTH,
  PROP_PREFIX,
  PROP_SUFFIX,
  N_PROPS
};

enum {
  SCANNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_editable (TtScanner   *self,
              GtkEditable *editable)
{
  if (self->editable != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->editable), (gpointer *) &self->editable);
  self->editable = editable;
  if (editable != NULL)
    g_object_add_weak_pointer (G_OBJECT (editable), (gpointer *) &self->editable);
}

static void
burst_reset (TtScanner *self)
{
  g_string_truncate (self->burst, 0);
  g_string_truncate (self->swallowed, 0);
  self->burst_chars = 0;
  self->in_burst = FALSE;
  self->prefixed = FALSE;
  self->swallowing = FALSE;
  g_clear_pointer (&self->saved_text, g_free);
  set_editable (self, NULL);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
}

static void
burst_start (TtScanner *self,
             guint32    time)
{
  GtkWidget *focus = NULL;
  GtkRoot *root;

  burst_reset (self);
  self->in_burst = TRUE;
  self->last_time = time;

  /* Remember the focused text field as it is before this key reaches
   * it, to take the burst back out if it turns out to be a scan. */
  root = self->widget ? gtk_widget_get_root (self->widget) : NULL;
  if (root != NULL)
    focus = gtk_root_get_focus (root);
  if (focus != NULL && GTK_IS_EDITABLE (focus))
    {
      set_editable (self, GTK_EDITABLE (focus));
      self->saved_text = g_strdup (gtk_editable_get_text (self->editable));
      self->saved_pos = gtk_editable_get_position (self->editable);
    }
}

/* The burst was not a scan: whatever was kept from the text field goes
 * into it now, where the courier was typing. */
static void
give_back (TtScanner *self)
{
  if (self->swallowing && self->swallowed->len > 0 && self->editable != NULL)
    {
      int pos = gtk_editable_get_position (self->editable);

      gtk_editable_insert_text (self->editable, self->swallowed->str, (int) self->swallowed->len, &pos);
      gtk_editable_set_position (self->editable, pos);
    }
  burst_reset (self);
}

static void
deliver (TtScanner *self)
{
  g_autofree char *payload = g_strdup (self->burst->str);

  /* The first keys of a burst without a prefix reached the text field
   * before the burst could be told from typing: put its text back. */
  if (self->editable != NULL && self->saved_text != NULL
      && g_strcmp0 (gtk_editable_get_text (self->editable), self->saved_text) != 0)
    {
      gtk_editable_set_text (self->editable, self->saved_text);
      gtk_editable_set_position (self->editable, self->saved_pos);
    }
  /* Drop whatever an input method was still composing from those keys.
   * GtkText has no public reset, but it resets its input method when it
   * stops being editable (GtkSearchEntry, AdwEntryRow). */
  if (self->editable != NULL)
    {
      GtkWidget *entry = gtk_widget_get_ancestor (GTK_WIDGET (self->editable), GTK_TYPE_ENTRY);

      if (entry != NULL)
        gtk_entry_reset_im_context (GTK_ENTRY (entry));
      else if (gtk_editable_get_editable (self->editable))
        {
          gtk_editable_set_editable (self->editable, FALSE);
          gtk_editable_set_editable (self->editable, TRUE);
        }
    }
  burst_reset (self);

  if (*payload != '\0')
    g_signal_emit (self, signals[SCANNED], 0, payload);
}

static gboolean
on_timeout (gpointer user_data)
{
  TtScanner *self = user_data;

  self->timeout_id = 0;
  if (self->prefixed)
    deliver (self);
  else
    give_back (self);
  return G_SOURCE_REMOVE;
}

static void
arm_timeout (TtScanner *self,
             guint      ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (ms, on_timeout, self);
}

static gboolean
is_modifier (guint keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Shift_L:
    case GDK_KEY_Shift_R:
    case GDK_KEY_Caps_Lock:
    case GDK_KEY_Shift_Lock:
    case GDK_KEY_Num_Lock:
    case GDK_KEY_ISO_Level3_Shift:
    case GDK_KEY_ISO_Level5_Shift:
    case GDK_KEY_Control_L:
    case GDK_KEY_Control_R:
    case GDK_KEY_Alt_L:
    case GDK_KEY_Alt_R:
    case GDK_KEY_Meta_L:
    case GDK_KEY_Meta_R:
    case GDK_KEY_Super_L:
    case GDK_KEY_Super_R:
      return TRUE;
    default:
      return FALSE;
    }
}

static gboolean
is_terminator (TtScanner *self,
               guint      keyval)
{
  switch (keyval)
    {
    case GDK_KEY_Return:
    case GDK_KEY_Linefeed:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_Tab:
    case GDK_KEY_KP_Tab:
    case GDK_KEY_ISO_Left_Tab:
      return TRUE;
    default:
      return self->suffix_keyval != 0 && keyval == self->suffix_keyval;
    }
}

static void
append (TtScanner *self,
        gunichar   c)
{
  g_string_append_unichar (self->burst, c);
  self->burst_chars++;
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TtScanner             *self)
{
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  guint32 time = event ? gdk_event_get_time (event) : (guint32) (g_get_monotonic_time () / 1000);
  gunichar c = gdk_keyval_to_unicode (keyval);
  gboolean printable = c != 0 && g_unichar_isprint (c);
  /* Once a burst is known to come from a scanner, a hiccup (a Bluetooth
   * scanner's radio, a busy device) does not split it in two. */
  guint max_gap = self->swallowing ? self->max_gap_ms + GIVE_BACK_PAUSE_MS : self->max_gap_ms;
  gboolean in_gap = self->in_burst && (guint32) (time - self->last_time) <= max_gap;

  /* A scanner's Shift belongs to the burst; it neither ends nor times it. */
  if (is_modifier (keyval))
    return self->prefixed || self->swallowing;

  /* With a prefix the scan is known before its first character arrives:
   * no key of it ever reaches a text field or an input method. */
  if (self->prefix_keyval != 0 && keyval == self->prefix_keyval)
    {
      give_back (self);
      burst_start (self, time);
      self->prefixed = TRUE;
      arm_timeout (self, PREFIX_TIMEOUT_MS);
      return GDK_EVENT_STOP;
    }
  if (self->prefixed)
    {
      self->last_time = time;
      if (is_terminator (self, keyval))
        deliver (self);
      else
        {
          if (printable)
            append (self, c);
          arm_timeout (self, PREFIX_TIMEOUT_MS);
        }
      return GDK_EVENT_STOP;
    }

  /* Shortcuts, arrows, Backspace …: typing, whatever came before. */
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0
      || (!printable && !is_terminator (self, keyval)))
    {
      give_back (self);
      return GDK_EVENT_PROPAGATE;
    }

  if (is_terminator (self, keyval))
    {
      if (in_gap && self->burst_chars >= self->min_length)
        {
          deliver (self);
          return GDK_EVENT_STOP;
        }
      give_back (self);
      return GDK_EVENT_PROPAGATE;
    }

  if (!in_gap)
    {
      give_back (self);
      burst_start (self, time);
    }
  self->last_time = time;
  append (self, c);

  if (!self->swallowing && self->burst_chars > MIN (SWALLOW_AFTER, self->min_length))
    self->swallowing = TRUE;
  if (self->swallowing)
    {
      g_string_append_unichar (self->swallowed, c);
      arm_timeout (self, self->max_gap_ms + GIVE_BACK_PAUSE_MS);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static guint
keyval_from_setting (const char *name)
{
  guint keyval;

  if (name == NULL || *name == '\0')
    return 0;
  keyval = gdk_keyval_from_name (name);
  if (keyval == GDK_KEY_VoidSymbol)
    {
      g_message ("Scanner key “%s” is not a key name; ignored", name);
      return 0;
    }
  return keyval;
}

static void
tt_scanner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  TtScanner *self = TT_SCANNER (object);

  switch (prop_id)
    {
    case PROP_MAX_GAP_MS:
      g_value_set_uint (value, self->max_gap_ms);
      break;
    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;
    case PROP_PREFIX:
      g_value_set_string (value, self->prefix);
      break;
    case PROP_SUFFIX:
      g_value_set_string (value, self->suffix);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_scanner_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  TtScanner *self = TT_SCANNER (object);

  switch (prop_id)
    {
    case PROP_MAX_GAP_MS:
      tt_scanner_set_max_gap_ms (self, g_value_get_uint (value));
      break;
    case PROP_MIN_LENGTH:
      tt_scanner_set_min_length (self, g_value_get_uint (value));
      break;
    case PROP_PREFIX:
      tt_scanner_set_prefix (self, g_value_get_string (value));
      break;
    case PROP_SUFFIX:
      tt_scanner_set_suffix (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_scanner_dispose (GObject *object)
{
  TtScanner *self = TT_SCANNER (object);

  tt_scanner_detach (self);
  burst_reset (self);

  G_OBJECT_CLASS (tt_scanner_parent_class)->dispose (object);
}

static void
tt_scanner_finalize (GObject *object)
{
  TtScanner *self = TT_SCANNER (object);

  g_string_free (self->burst, TRUE);
  g_string_free (self->swallowed, TRUE);
  g_free (self->prefix);
  g_free (self->suffix);

  G_OBJECT_CLASS (tt_scanner_parent_class)->finalize (object);
}

static void
tt_scanner_class_init (TtScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_scanner_get_property;
  object_class->set_property = tt_scanner_set_property;
  object_class->dispose = tt_scanner_dispose;
  object_class->finalize = tt_scanner_finalize;

  properties[PROP_MAX_GAP_MS] =
    g_param_spec_uint ("max-gap-ms", NULL, NULL, 1, 1000, 40,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MIN_LENGTH] =
    g_param_spec_uint ("min-length", NULL, NULL, 1, 1024, 6,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PREFIX] =
    g_param_spec_string ("prefix", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUFFIX] =
    g_param_spec_string ("suffix", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtScanner::scanned:
   * @payload: the scanned text, without its terminator
   *
   * A burst of keys from a scanner ended.  Emitted on the main thread.
   */
  signals[SCANNED] =
    g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tt_scanner_init (TtScanner *self)
{
  self->max_gap_ms = 40;
  self->min_length = 6;
  self->burst = g_string_new (NULL);
  self->swallowed = g_string_new (NULL);
}

TtScanner *
tt_scanner_new (void)
{
  return g_object_new (TT_TYPE_SCANNER, NULL);
}

void
tt_scanner_attach (TtScanner *self,
                   GtkWidget *widget)
{
  g_return_if_fail (TT_IS_SCANNER (self));
  g_return_if_fail (GTK_IS_WIDGET (widget));

  tt_scanner_detach (self);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);

  /* Capture phase: the window sees each key before the focused text
   * field and its input method (a Telex engine turns scanned letters into
   * tone marks). */
  self->controller = gtk_event_controller_key_new ();
  gtk_event_controller_set_name (self->controller, "tt-scanner");
  gtk_event_controller_set_propagation_phase (self->controller, GTK_PHASE_CAPTURE);
  g_signal_connect (self->controller, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (widget, g_object_ref (self->controller));
}

void
tt_scanner_detach (TtScanner *self)
{
  g_return_if_fail (TT_IS_SCANNER (self));

  if (self->controller != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->controller, self);
      if (self->widget != NULL)
        gtk_widget_remove_controller (self->widget, self->controller);
      g_clear_object (&self->controller);
    }
  if (self->widget != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }
  burst_reset (self);
}

void
tt_scanner_bind_settings (TtScanner *self,
                          GSettings *settings)
{
  g_return_if_fail (TT_IS_SCANNER (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, "scanner-max-gap-ms", self, "max-gap-ms", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "scanner-min-length", self, "min-length", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "scanner-prefix", self, "prefix", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "scanner-suffix", self, "suffix", G_SETTINGS_BIND_GET);
}

guint
tt_scanner_get_max_gap_ms (TtScanner *self)
{
  g_return_val_if_fail (TT_IS_SCANNER (self), 0);
  return self->max_gap_ms;
}

void
tt_scanner_set_max_gap_ms (TtScanner *self,
                           guint      max_gap_ms)
{
  g_return_if_fail (TT_IS_SCANNER (self));

  if (self->max_gap_ms == max_gap_ms)
    return;
  self->max_gap_ms = max_gap_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_GAP_MS]);
}

guint
tt_scanner_get_min_length (TtScanner *self)
{
  g_return_val_if_fail (TT_IS_SCANNER (self), 0);
  return self->min_length;
}

void
tt_scanner_set_min_length (TtScanner *self,
                           guint      min_length)
{
  g_return_if_fail (TT_IS_SCANNER (self));

  if (self->min_length == min_length)
    return;
  self->min_length = MAX (min_length, 1);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_LENGTH]);
}

const char *
tt_scanner_get_prefix (TtScanner *self)
{
  g_return_val_if_fail (TT_IS_SCANNER (self), NULL);
  return self->prefix;
}

void
tt_scanner_set_prefix (TtScanner  *self,
                       const char *key_name)
{
  g_return_if_fail (TT_IS_SCANNER (self));

  if (key_name != NULL && *key_name == '\0')
    key_name = NULL;
  if (g_strcmp0 (self->prefix, key_name) == 0)
    return;
  g_free (self->prefix);
  self->prefix = g_strdup (key_name);
  self->prefix_keyval = keyval_from_setting (key_name);
  burst_reset (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PREFIX]);
}

const char *
tt_scanner_get_suffix (TtScanner *self)
{
  g_return_val_if_fail (TT_IS_SCANNER (self), NULL);
  return self->suffix;
}

void
tt_scanner_set_suffix (TtScanner  *self,
                       const char *key_name)
{
  g_return_if_fail (TT_IS_SCANNER (self));

  if (key_name != NULL && *key_name == '\0')
    key_name = NULL;
  if (g_strcmp0 (self->suffix, key_name) == 0)
    return;
  g_free (self->suffix);
  self->suffix = g_strdup (key_name);
  self->suffix_keyval = keyval_from_setting (key_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUFFIX]);
}
