# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's public pages: the visitor form, the pass page, and the errors a visitor may see.

web-language-menu = اللغة

## The visitor form
web-form-title = تصريح الدخول إلى { $venue }
web-form-heading = { $venue }: احصل على تصريح الدخول
web-form-name = الاسم
web-form-phone = الهاتف
web-form-email = البريد الإلكتروني
web-form-party = كم شخصًا يدخل بهذا التصريح (أنت وعائلتك)
web-form-consent = أوافق على أن يحتفظ { $venue } باسمي وهاتفي وبريدي الإلكتروني مع أوقات دخولي لمدة { $days } يومًا، للتواصل معي عند الحاجة.
web-form-submit = احصل على تصريحي

## The pass page
web-pass-title = تصريحك
web-pass-intro = اعرض هذا الرمز عند الباب. احفظ الصورة أو التقط صورة للشاشة.
web-pass-image = تصريح دخولك
web-pass-save = احفظ في الصور
web-pass-text = نص التصريح
web-pass-caption-party = { $name } · يدخل به { $count }

## What a visitor is told when the form is not right
web-error-too-long = { $field ->
    [name] الاسم طويل جدًا (لا يزيد على { $max } حرفًا).
    [phone] رقم الهاتف طويل جدًا (لا يزيد على { $max } حرفًا).
   *[email] البريد الإلكتروني طويل جدًا (لا يزيد على { $max } حرفًا).
}
web-error-characters = { $field ->
    [name] في الاسم حروف غير مسموح بها.
    [phone] في رقم الهاتف حروف غير مسموح بها.
   *[email] في البريد الإلكتروني حروف غير مسموح بها.
}
web-error-too-big = { $field ->
    [name] الاسم أطول من أن يتسع في التصريح مع بقية البيانات. يرجى تقصيره.
    [phone] رقم الهاتف أطول من أن يتسع في التصريح مع بقية البيانات. يرجى تقصيره.
   *[email] البريد الإلكتروني أطول من أن يتسع في التصريح مع بقية البيانات. يرجى تقصيره.
}
web-error-party = عدد الأشخاص يجب أن يكون عددًا صحيحًا من 1 إلى { $largest }.
web-error-name = يرجى كتابة اسمك.
web-error-phone = رقم الهاتف لا يبدو صحيحًا.
web-error-email = البريد الإلكتروني لا يبدو صحيحًا.
web-error-contact = يرجى كتابة رقم هاتف أو بريد إلكتروني.
web-error-consent = يرجى وضع علامة في خانة الموافقة.
web-error-too-many = طُلب عدد كبير من التصاريح من هذا العنوان. انتظر دقيقة ثم حاول مرة أخرى.

## Error pages
web-error-title = خطأ
web-error-home = العودة إلى الصفحة الأولى
web-error-internal = حدث خطأ في الخادم.
web-error-not-found = هذه الصفحة غير موجودة.
web-error-method = لا تُستخدم هذه الصفحة بهذه الطريقة.
web-error-forwarded = لا يمكن قراءة ترويسة X-Forwarded-For.
web-error-expired-form = انتهت صلاحية النموذج أو لم يأتِ من هذا الموقع. أعد تحميل الصفحة وحاول مرة أخرى.
