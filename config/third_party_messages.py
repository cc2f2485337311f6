"""Messages of Django and third-party apps that ship no Vietnamese translation.

Django looks a message up in our catalog (LOCALE_PATHS) before the apps' own, so translating these
msgids in locale/vi/LC_MESSAGES/django.po turns pages that would show English into Vietnamese.
Listing them here is what keeps `makemessages` from dropping them as obsolete: it only keeps msgids
it finds in our sources. Nothing imports this module; the lazy strings are never evaluated.

Found by comparing each package's message ids with the Vietnamese catalogs installed (Django 5.2,
django-tables2 3.0, django-filter 26.2, django-axes 8.3; crispy-forms has no messages of its own).
When one of these packages is upgraded, look again for new untranslated messages.
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy, pgettext_lazy

# Django's own catalog: form and model validation errors, paginator, time spans, the CSRF page.
DJANGO = (
    _("…"),
    _("That page number is not an integer"),
    _("That page number is less than 1"),
    _("That page contains no results"),
    _("Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."),
    _("Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."),
    _("Ensure this value is a multiple of step size %(limit_value)s."),
    _(
        "Ensure this value is a multiple of step size %(limit_value)s, starting from %(offset)s, e.g. %(offset)s, %(valid_value1)s, %(valid_value2)s, and so on."
    ),
    _("File extension “%(extension)s” is not allowed. Allowed extensions are: %(allowed_extensions)s."),
    _("Null characters are not allowed."),
    _("Constraint “%(name)s” is violated."),
    _("“%(value)s” value must be either True or False."),
    _("“%(value)s” value must be either True, False, or None."),
    _("“%(value)s” value has an invalid date format. It must be in YYYY-MM-DD format."),
    _("“%(value)s” value has the correct format (YYYY-MM-DD) but it is an invalid date."),
    _("“%(value)s” value has an invalid format. It must be in YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ] format."),
    _(
        "“%(value)s” value has the correct format (YYYY-MM-DD HH:MM[:ss[.uuuuuu]][TZ]) but it is an invalid date/time."
    ),
    _("“%(value)s” value must be a decimal number."),
    _("“%(value)s” value has an invalid format. It must be in [DD] [[HH:]MM:]ss[.uuuuuu] format."),
    _("“%(value)s” value must be a float."),
    _("“%(value)s” value must be an integer."),
    _("“%(value)s” value must be either None, True or False."),
    _("“%(value)s” value has an invalid format. It must be in HH:MM[:ss[.uuuuuu]] format."),
    _("“%(value)s” value has the correct format (HH:MM[:ss[.uuuuuu]]) but it is an invalid time."),
    _("%(model)s instance with %(field)s %(value)r is not a valid choice."),
    _("Enter a complete value."),
    _(
        "ManagementForm data is missing or has been tampered with. Missing fields: %(field_names)s. You may need to file a bug report if the issue persists."
    ),
    ngettext_lazy("Please submit at most %(num)d form.", "Please submit at most %(num)d forms."),
    ngettext_lazy("Please submit at least %(num)d form.", "Please submit at least %(num)d forms."),
    _("The inline value did not match the parent instance."),
    _("“%(pk)s” is not a valid value."),
    _(
        "%(datetime)s couldn’t be interpreted in time zone %(current_timezone)s; it may be ambiguous or it may not exist."
    ),
    pgettext_lazy("String to return when truncating text", "%(truncated_text)s…"),
    ngettext_lazy("%(num)d year", "%(num)d years"),
    ngettext_lazy("%(num)d month", "%(num)d months"),
    ngettext_lazy("%(num)d week", "%(num)d weeks"),
    ngettext_lazy("%(num)d day", "%(num)d days"),
    ngettext_lazy("%(num)d hour", "%(num)d hours"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes"),
    _("Forbidden"),
    _("CSRF verification failed. Request aborted."),
    _(
        "You are seeing this message because this HTTPS site requires a “Referer header” to be sent by your web browser, but none was sent. This header is required for security reasons, to ensure that your browser is not being hijacked by third parties."
    ),
    _(
        "If you have configured your browser to disable “Referer” headers, please re-enable them, at least for this site, or for HTTPS connections, or for “same-origin” requests."
    ),
    _(
        'If you are using the <meta name="referrer" content="no-referrer"> tag or including the “Referrer-Policy: no-referrer” header, please remove them. The CSRF protection requires the “Referer” header to do strict referer checking. If you’re concerned about privacy, use alternatives like <a rel="noreferrer" …> for links to third-party sites.'
    ),
    _(
        "You are seeing this message because this site requires a CSRF cookie when submitting forms. This cookie is required for security reasons, to ensure that your browser is not being hijacked by third parties."
    ),
    _(
        "If you have configured your browser to disable cookies, please re-enable them, at least for this site, or for “same-origin” requests."
    ),
)

DJANGO_AUTH = (
    _("Conflicting form data submitted. Please try again."),
    _("Password-based authentication was disabled."),
    _("Set password: %s"),
    _("Reset password"),
    _("Set password"),
    _(
        "Whether the user will be able to authenticate using a password or not. If disabled, they may still be able to authenticate using other backends, such as Single Sign-On or LDAP."
    ),
    _("Password-based authentication"),
    _("Enabled"),
    _("Disabled"),
    _("Raw passwords are not stored, so there is no way to see the user’s password."),
    _("Enable password-based authentication for this user by setting a password."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    _(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, numbers, and @/./+/-/_ characters."
    ),
)

# django-tables2: the pager.
DJANGO_TABLES2 = (
    _("previous"),
    _("next"),
)

# django-filter: lookups in generated labels ("Name contains"), date ranges, ordering, errors.
DJANGO_FILTER = (
    _("date"),
    _("year"),
    _("month"),
    _("day"),
    _("week day"),
    _("hour"),
    _("minute"),
    _("second"),
    _("contains"),
    _("is in"),
    _("is greater than"),
    _("is greater than or equal to"),
    _("is less than"),
    _("is less than or equal to"),
    _("starts with"),
    _("ends with"),
    _("is in range"),
    _("is null"),
    _("matches regex"),
    _("search"),
    _("is contained by"),
    _("overlaps"),
    _("has key"),
    _("has keys"),
    _("has any keys"),
    _("Select a lookup."),
    _("Range query expects two values."),
    _("Yesterday"),
    _("Multiple values may be separated by commas."),
    _("%s (descending)"),
    _("Ordering"),
    _("exclude"),
)

# django-axes: the fallback lockout message and the admin pages of login attempts.
DJANGO_AXES = (
    _("Account locked: too many login attempts. Please try again later."),
    _("Account locked: too many login attempts. Contact an admin to unlock your account."),
    _("Locked Out"),
    _("Not set"),
    _("Attempt Remaining"),
    _("Clean up expired attempts"),
    _("Form Data"),
    _("Meta Data"),
    _("User Agent"),
    _("IP Address"),
    _("Username"),
    _("HTTP Accept"),
    _("Path"),
    _("Attempt Time"),
    _("Access lock out"),
    _("access failure"),
    _("access failures"),
    _("GET Data"),
    _("POST Data"),
    _("Failed Logins"),
    _("access attempt"),
    _("access attempts"),
    _("Access Attempt"),
    _("Expires At"),
    _("The time when access attempt expires and is no longer valid."),
    _("access attempt expiration"),
    _("access attempt expirations"),
    _("Logout Time"),
    _("Session key hash (sha256)"),
    _("access log"),
    _("access logs"),
)
