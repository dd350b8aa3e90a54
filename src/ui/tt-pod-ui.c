/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-pod-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-fees.h"
#include "tt-pod-ui.h"
#include "tt-text.h"

void
tt_pod_ui_ensure_style (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/tantay/TanTay/tt-pod.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
}

static void
add_amount_row (AdwPreferencesGroup *group,
                const char          *title,
                const char          *subtitle,
                gint64               amount,
                gboolean             total)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *text = tt_text_format_vnd (amount);
  GtkWidget *label = gtk_label_new (text);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_widget_add_css_class (label, "amount");
  if (total)
    {
      gtk_widget_add_css_class (label, "title-3");
      gtk_widget_add_css_class (row, "amount-total");
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_preferences_group_add (group, row);
}

void
tt_pod_ui_add_amount_rows (AdwPreferencesGroup *group,
                           TtItem              *item)
{
  TtAmountDue due;

  g_return_if_fail (ADW_IS_PREFERENCES_GROUP (group));
  g_return_if_fail (TT_IS_ITEM (item));

  tt_fees_compute (item->fee_vnd, item->postage_vnd, item->beneficiary, &due);
  add_amount_row (group, _("Fee (for the agency)"), NULL, due.fee_vnd, FALSE);
  add_amount_row (group, _("Postage"), NULL, due.postage_vnd, FALSE);
  if (due.beneficiary != NULL && due.exemption_vnd > 0)
    {
      g_autofree char *why = g_strdup_printf (_("%s: %d %% of the postage"),
                                              _(due.beneficiary->label),
                                              due.beneficiary->postage_percent_off);
      add_amount_row (group, _("Exemption"), why, -due.exemption_vnd, FALSE);
    }
  add_amount_row (group, _("To pay"), NULL, due.total_vnd, TRUE);
}

typedef struct
{
  GCallback callback;
  gpointer  user_data;
} Review;

static void
review_free (Review *review)
{
  g_object_unref (review->user_data);
  g_free (review);
}

static void
on_review_response (AdwMessageDialog *dialog,
                    const char       *response,
                    Review           *review)
{
  if (g_str_equal (response, "confirm"))
    ((void (*) (gpointer)) review->callback) (review->user_data);
}

void
tt_pod_ui_review (GtkWidget  *parent,
                  const char *heading,
                  const char *body,
                  const char *confirm_label,
                  GCallback   confirmed,
                  gpointer    user_data)
{
  GtkRoot *root = gtk_widget_get_root (parent);
  GtkWidget *dialog;
  Review *review;

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Back"), "confirm",
                                    confirm_label, NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "confirm",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "confirm");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  review = g_new0 (Review, 1);
  review->callback = confirmed;
  /* The page must outlive the question. */
  review->user_data = g_object_ref (user_data);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_review_response), review,
                         (GClosureNotify) (void (*) (void)) review_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

void
tt_pod_ui_show_error (GtkLabel   *label,
                      const char *message)
{
  g_return_if_fail (GTK_IS_LABEL (label));

  gtk_label_set_text (label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

char *
tt_pod_ui_dup_heading (TtItem *item)
{
  g_autofree char *address = NULL;

  g_return_val_if_fail (TT_IS_ITEM (item), NULL);

  address = tt_item_dup_address (item);
  return g_strdup_printf ("%s\n%s", item->recipient_name ? item->recipient_name : "", address);
}
