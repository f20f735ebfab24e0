# Status: source text (English), written by the Usher developers.
# The server's public pages: the visitor form, the pass page, and the errors a visitor may see.
# Keep them short and plain: a visitor reads them on a phone at the door.

web-language-menu = Language

## The visitor form
web-form-title = { $venue } sign-in pass
web-form-heading = { $venue }: get your sign-in pass
web-form-name = Name
web-form-phone = Phone
web-form-email = E-mail
web-form-party = How many people come in on this pass (you and your family)
web-form-consent = I agree that { $venue } keeps my name, phone and e-mail with the times I sign in, for { $days } days, to contact me if needed.
web-form-submit = Get my pass

## The pass page
web-pass-title = Your pass
web-pass-intro = Show this code at the door. Save the picture or take a screenshot.
web-pass-image = Your sign-in pass
web-pass-save = Save to photos
web-pass-text = Pass text
# The line under the code in the pass picture when the pass admits more than one.
web-pass-caption-party = { $name } · admits { $count }

## What a visitor is told when the form is not right
web-error-too-long = { $field ->
    [name] The name is too long (at most { $max } characters).
    [phone] The phone number is too long (at most { $max } characters).
   *[email] The e-mail address is too long (at most { $max } characters).
}
web-error-characters = { $field ->
    [name] The name has characters that are not allowed.
    [phone] The phone number has characters that are not allowed.
   *[email] The e-mail address has characters that are not allowed.
}
web-error-too-big = { $field ->
    [name] The name is too long to fit in a pass with the other details. Please shorten it.
    [phone] The phone number is too long to fit in a pass with the other details. Please shorten it.
   *[email] The e-mail address is too long to fit in a pass with the other details. Please shorten it.
}
web-error-party = The party size must be a whole number from 1 to { $largest }.
web-error-name = Please give your name.
web-error-phone = The phone number does not look right.
web-error-email = The e-mail address does not look right.
web-error-contact = Please give a phone number or an e-mail address.
web-error-consent = Please tick the consent box.
web-error-too-many = Too many passes asked for from this address. Wait a minute and try again.

## Error pages
web-error-title = Error
web-error-home = Back to the first page
web-error-internal = Something went wrong on the server.
web-error-not-found = No such page.
web-error-method = That is not how this page is used.
web-error-forwarded = The X-Forwarded-For header cannot be read.
web-error-expired-form = The form has expired or did not come from this site. Reload the page and try again.
