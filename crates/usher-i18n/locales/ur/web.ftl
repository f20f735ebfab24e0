# Status: draft (machine-written by the Usher developers; not yet reviewed by a native speaker).
# The server's public pages: the visitor form, the pass page, and the errors a visitor may see.

web-language-menu = زبان

## The visitor form
web-form-title = { $venue } داخلے کا پاس
web-form-heading = { $venue }: اپنا داخلے کا پاس حاصل کریں
web-form-name = نام
web-form-phone = فون
web-form-email = ای میل
web-form-party = اس پاس پر کتنے لوگ داخل ہوں گے (آپ اور آپ کا خاندان)
web-form-consent = میں متفق ہوں کہ { $venue } میرا نام، فون اور ای میل میرے داخلے کے اوقات کے ساتھ { $days } دن تک رکھے، تاکہ ضرورت پڑنے پر مجھ سے رابطہ کیا جا سکے۔
web-form-submit = میرا پاس حاصل کریں

## The pass page
web-pass-title = آپ کا پاس
web-pass-intro = یہ کوڈ دروازے پر دکھائیں۔ تصویر محفوظ کریں یا اسکرین شاٹ لیں۔
web-pass-image = آپ کا داخلے کا پاس
web-pass-save = تصاویر میں محفوظ کریں
web-pass-text = پاس کا متن
web-pass-caption-party = { $name } · { $count } افراد کے لیے

## What a visitor is told when the form is not right
web-error-too-long = { $field ->
    [name] نام بہت لمبا ہے (زیادہ سے زیادہ { $max } حروف)۔
    [phone] فون نمبر بہت لمبا ہے (زیادہ سے زیادہ { $max } حروف)۔
   *[email] ای میل پتہ بہت لمبا ہے (زیادہ سے زیادہ { $max } حروف)۔
}
web-error-characters = { $field ->
    [name] نام میں ایسے حروف ہیں جن کی اجازت نہیں۔
    [phone] فون نمبر میں ایسے حروف ہیں جن کی اجازت نہیں۔
   *[email] ای میل پتے میں ایسے حروف ہیں جن کی اجازت نہیں۔
}
web-error-too-big = { $field ->
    [name] نام اتنا لمبا ہے کہ باقی تفصیلات کے ساتھ پاس میں نہیں آتا۔ براہ کرم اسے مختصر کریں۔
    [phone] فون نمبر اتنا لمبا ہے کہ باقی تفصیلات کے ساتھ پاس میں نہیں آتا۔ براہ کرم اسے مختصر کریں۔
   *[email] ای میل پتہ اتنا لمبا ہے کہ باقی تفصیلات کے ساتھ پاس میں نہیں آتا۔ براہ کرم اسے مختصر کریں۔
}
web-error-party = افراد کی تعداد 1 سے { $largest } تک کا پورا عدد ہونی چاہیے۔
web-error-name = براہ کرم اپنا نام لکھیں۔
web-error-phone = فون نمبر درست نہیں لگتا۔
web-error-email = ای میل پتہ درست نہیں لگتا۔
web-error-contact = براہ کرم فون نمبر یا ای میل پتہ لکھیں۔
web-error-consent = براہ کرم رضامندی کے خانے پر نشان لگائیں۔
web-error-too-many = اس پتے سے بہت زیادہ پاس مانگے گئے۔ ایک منٹ انتظار کر کے دوبارہ کوشش کریں۔

## Error pages
web-error-title = خرابی
web-error-home = پہلے صفحے پر واپس
web-error-internal = سرور پر کچھ غلط ہو گیا۔
web-error-not-found = ایسا کوئی صفحہ نہیں۔
web-error-method = یہ صفحہ اس طرح استعمال نہیں ہوتا۔
web-error-forwarded = X-Forwarded-For ہیڈر پڑھا نہیں جا سکتا۔
web-error-expired-form = فارم کی مدت ختم ہو گئی ہے یا یہ اس سائٹ سے نہیں آیا۔ صفحہ دوبارہ لوڈ کر کے پھر کوشش کریں۔
